"""Everyday words that are also names ("ray", "mark", "grace"), and when such a word written in lower case is the
name of a person of the account rather than the word."""

from __future__ import annotations

import re

# First names and surnames that are also everyday words: written in lower case, they are the word.
COMMON_NAME_WORDS = {
    "will", "mark", "grace", "bill", "rose", "may", "joy", "hope", "faith", "sky", "summer", "april", "june", "dawn",
    "chase", "drew", "pat", "sue", "ray", "lee", "art", "bob", "jack", "frank", "john", "rich", "young", "brown",
    "green", "white", "black", "king", "stone", "hale", "price", "lang", "berg", "walker", "turner", "baker", "cook",
    "miller", "carter", "hunter", "fisher", "mason", "page", "reid", "bishop", "marshall", "ward", "wood", "hill",
    "long", "short", "best", "west", "north", "south", "case", "law", "love", "rice", "cash", "banks", "noble",
    "quinn", "chance", "max", "ruby", "amber", "crystal", "holly", "ivy", "iris", "lily", "daisy", "violet",
    "august", "major", "sterling", "golden", "little", "strong", "swift", "sharp", "bright", "fair", "hart",
    "grant", "park", "wells", "porter", "robin", "foster", "cole", "nash", "das", "ito",
}

# Words that open a sentence as a comment on it, not as part of a name ("Anyway Paul said ..."): discourse markers
# and interjections; a leading "-ly" word that is no given name ("Honestly Karen was ...") is one too.
DISCOURSE_WORDS = {
    "anyway", "anyways", "anyhow", "well", "oh", "ok", "okay", "btw", "plus", "besides", "meanwhile", "otherwise",
    "still", "however", "though", "again", "now", "so", "sorry", "sure", "yeah", "yep", "nope", "ps", "fyi", "also",
    "luckily", "lastly", "finally", "overall", "thankfully", "ah", "hmm", "um", "update", "separately", "oddly",
    "hey", "hello", "hiya", "cheers",
}
# Day and month abbreviations: after a name they are the meeting's day, not a surname ("call w/ Jessica Fri").
CALENDAR_ABBREVIATIONS = {
    "mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}


def opens_not_a_name(word: str, given: bool) -> bool:
    """Whether ``word``, first of a run of capitalised words, is a discourse word rather than a first name;
    ``given`` says whether it is a given name ("Kelly", "Emily" end in -ly and are names)."""
    low = word.lower().rstrip(",")
    return low in DISCOURSE_WORDS or (low.endswith("ly") and not given)


def closes_not_a_name(word: str) -> bool:
    """Whether ``word``, last of a run of capitalised words, is a day or month ("Fri", "Wed.") and no surname."""
    return word.lower().rstrip(".,") in CALENDAR_ABBREVIATIONS


_LIST_SLOT = r"(?:[+&]\s*{w}\b|\b{w}\s*[+&]|(?:\bw/|\bwith|,)\s*{w}\b(?=\s*(?:[+&,.;:\n]|and\b|$)))"
_ACTS_ALONE = re.compile(r"\s+(?:[a-z]+ing|was|is|said|says|asked|wants|thinks)\b")
_ACTS_AFTER = re.compile(r"\s+(?:[a-z]+ing|[a-z]+ed|was|is|said|says|asked|wants|thinks)\b")


def common_word_as_name(text: str, m: re.Match[str]) -> bool:
    """Whether a lower-case everyday word that is an account person's name ("ray", "mark") is the name here: the note
    lists it with other names ("call w/ helen + ray"), and this is that list or a clause it opens ("ray grumbling")."""
    word = re.escape(m.group(0))
    opens = re.search(r"(?:^|[.;!?\n]|[-•→>])\s*$", text[: m.start()])
    if not re.search(_LIST_SLOT.format(w=word), text):
        # alone, it is the name only as a clause's subject doing what people do: "weds: reid pushing back"
        return bool(re.search(r"(?:^|[.;:!?\n]|[-•→>])\s*$", text[: m.start()]) and _ACTS_ALONE.match(text, m.end()))
    here = re.compile(_LIST_SLOT.format(w=word)).search(text, max(0, m.start() - 6), min(len(text), m.end() + 4))
    return bool(here or (opens and _ACTS_AFTER.match(text, m.end())))
