"""Per-person sentiment from the words near them: -2..+2, 0 when nothing is said about their mood.

A cue ("worried", "pushed back", "keen", "loved") counts for the person it is about: the nearest person named before
it in the same clause (with anyone joined to them by "and"), the person a leading "she" / "he" refers to, or the
person named right after it ("a frustrated Dana"). "Very" / "really" make a cue count double; "not" / "n't" before a
good word turns it round ("not happy" is negative), before a bad one makes it neutral ("not unhappy, just
exploring"); a person with both good and bad cues is neutral. Cues about "I" / "we" are ignored.

A clause about a person with none of those domain cues is scored by the general lexicon (``lexicon.py``,
vaderSentiment's read through our domain): "Marcus was great", "had a lot of complaints", "a big supporter of the
renewal" count +1 / -1 when the clause's score is clear (|compound| >= ``_CLEAR``), and are about the person the
clause's strongest word is about, by the same rules as a domain cue.

A person's stance toward us ("ok with the pricing", "blocked the rollout", ``stance.py``) counts for the subject of
its clause. A mood at a colleague ("frustrated w/ Hugo") is not toward us. A person's own cues outweigh the
meeting's mood said of everyone ("Overall it went well"), and a change of mind after a contrast ("against at first
but in the end he agreed") outweighs what came before. A note about one person met takes the meeting's mood as
theirs ("vanessa called, all good"); a verdict on the meeting itself ("Went well.", "productive session", "tone was
positive") is the mood of everyone met in it who has no cue of their own (``meeting_mood.py``). A quote ("Paula:
'the best thing we bought'", ``quotes.py``) and a reported judgement of how things go ("said the rollout went
smoothly", ``appraisal.py``) are their speaker's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.notes.extract.appraisal import reported_appraisals
from tools.notes.extract.emoji_mood import emoji_moods
from tools.notes.extract.lexicon import clause_score, strongest_word
from tools.notes.extract.meeting_mood import meeting_mood
from tools.notes.extract.mood_words import FORMERLY, NEGATIVE_1, NEGATIVE_2, NOT_EVEN, POSITIVE_1, POSITIVE_2, UNDECIDED
from tools.notes.extract.passive_agent import JOINED, deed_by_agent, passive_agent
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.predicate import less_so, predicate
from tools.notes.extract.quotes import quoted_moods
from tools.notes.extract.rating import ratings
from tools.notes.extract.stance import STANCE_RE, goodwill, stance_value, subject
from tools.notes.extract.text import Piece, clauses, sentences
from tools.notes.extract.transcript import Voices, voices

# Haggling is business: "pushed back on the fees" says nothing of a mood; "pushed back hard" does.
_PUSHBACK = ("pushed back", "pushing back", "push back", "pushback", "pushes back")
_HARD_AFTER = re.compile(r"\s*(?:hard|strongly|firmly|aggressively|a\s+lot|heavily|forcefully|repeatedly|"
                         r"again\s+and\s+again|all\s+(?:meeting|call|session)|at\s+every\s+turn|"
                         r"on\s+(?:(?:basically|almost|nearly|pretty\s+much|just\s+about)\s+)?(?:every|each)\s+"
                         r"(?:single\s+)?(?:line|point|item|clause|slide|number)|"
                         r"on\s+(?:everything|all\s+of\s+it))\b", re.IGNORECASE)
_HEDGED = re.compile(r"\b(?:almost|nearly)\s+$", re.IGNORECASE)
_KEEN_TO_GO = re.compile(r"\s+to\s+(?:end|leave|wrap\s+(?:it\s+)?up|get\s+off|finish)\b", re.IGNORECASE)
_KEPT_BEFORE = re.compile(r"\b(?:kept|keeps|keep)(?:\s+on)?\s+$", re.IGNORECASE)  # "kept pushing back": a stand
# "understanding" is a mood after a verb or a contrast ("annoyed but understanding"), not in "our understanding".
_MOOD_BEFORE = re.compile(r"\b(?:but|and|very|quite|so|was|were|is|are|been|seemed|remained|['’]s)\s+$", re.IGNORECASE)
_INTENSIFIERS = ("very", "really", "extremely", "super", "so", "hugely", "incredibly", "v", "v.", "rly")
_NEGATIONS = re.compile(r"\b(?:not|never|no longer|nothing|n't|wasn['’]?t|isn['’]?t|aren['’]?t|weren['’]?t|didn['’]?t|"
                        r"hardly)\s+"
                        r"(?:(?:very|really|too|that|so|at\s+all|all\s+that|exactly|particularly|overly|entirely|terribly|"
                        r"remotely|quite|super|especially|totally|best|even|(?:pretend|try|bother|seem)(?:ed)?\s+to\s+be)"
                        r"\s+){0,2}$|\b(?:less\s+than|far\s+from|anything\s+but|"
                        r"(?:a\s+(?:lot|bit|little)\s+|much\s+|rather\s+|somewhat\s+)?less)\s+$|"
                        r"\b(?:nothing|not|neither)\s+[a-z]+\s+(?:or|nor)\s+$|" + FORMERLY,
                        re.IGNORECASE)
# How the meeting went: its people's mood only when said of all of them ("Went well all round").
_MEETING_MOODS = {"went well": 1, "went badly": -1, "went great": 1, "went really well": 2, "went very well": 2}
_WEIGHTS = {**{w: -2 for w in NEGATIVE_2}, **{w: -1 for w in NEGATIVE_1}, **{w: 2 for w in POSITIVE_2},
            **{w: 1 for w in POSITIVE_1}, **{w: -1 for w in _PUSHBACK}, **_MEETING_MOODS}
CUE_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(_WEIGHTS, key=len, reverse=True)) + r")\b",
                     re.IGNORECASE)
_INTENSE_BEFORE = re.compile(r"\b(?:" + "|".join(_INTENSIFIERS) + r")\s+$", re.IGNORECASE)
_LEAD = r"^\s*(?:[-*•]\s*)?"  # a clause's start, after a bullet
_SHE = re.compile(_LEAD + r"(?:(?:and|but|so|then|also)\s+)?(?P<pronoun>she|he)\b", re.IGNORECASE)
_SHE_BEFORE = re.compile(r"\b(?:and|but|so|while)\s+(?P<pronoun>she|he)(?:['’]s|\s+(?:is|was|seemed|seems|looked|"
                         r"sounded|got|became|felt|remains|stays))?\s+(?:(?:very|really|quite|still|also|a\s+bit)\s+)*$",
                         re.IGNORECASE)
# A person as the object of what we saw of them: "great to see her so engaged", "found him very receptive".
_SEEN_AS = re.compile(r"\b(?:see|saw|seeing|seen|found|find|finds|finding|made|makes|got|left|kept|keep)\s+(?P<pronoun>"
                      r"her|him)\s+(?:(?:so|very|really|quite|genuinely|actually|this|that|more)\s+)*$", re.IGNORECASE)
_GROUP = re.compile(_LEAD + r"(?:(?:and|but|so)\s+)?(?P<who>both(?:\s+of\s+them)?|all(?:\s+of\s+them|\s+three|\s+two)?|"
                    r"everyone|everybody|each\s+of\s+them|the\s+(?:two|three)\s+of\s+them|the\s+others|"
                    r"the\s+rest(?:\s+of\s+them)?|the\s+whole\s+(?:group|room)|the\s+(?:group|room)|"
                    r"all\s+(?:the\s+)?attendees|the\s+attendees)\b(?!\s+of\s+(?:us|our)\b)", re.IGNORECASE)
# "They were both happy" right after a sentence naming the people met: them; after one person, "they" is the company.
_THEY = re.compile(_LEAD + r"(?:(?:and|but|so|then|also)\s+)?they\b(?!\s+(?:said|say|told|want|need|asked)\b)",
                   re.IGNORECASE)
_OVERALL = re.compile(r"\b(?:overall|all\s+round|all\s+around|across\s+the\s+board)\b", re.IGNORECASE)
_WE = re.compile(_LEAD + r"(?:(?:and|but|so|then|also)\s+)?(?:I|we|they|our team|the team)\b", re.IGNORECASE)
_BARE = re.compile(_LEAD + r"(?:(?:very|really|extremely|super|so|quite|still|also|clearly|seemed|seems|was|is|were|"
                   r"looked|sounded|a\s+bit|somewhat|generally|overall|and|but|not|n't)\s+)*$", re.IGNORECASE)
_CLEAR = 0.4  # a general-lexicon score this far from 0 is a mood; closer is business-like
_IN_NOUN_PHRASE = re.compile(r"\b(?:the|their|our|a|an|its|this|that|his|her|my|your)\s+$", re.IGNORECASE)
_MEETING_NOUN = re.compile(r"\s+(?:call|meeting|session|chat|conversation|lunch|catch-?up|visit|workshop|qbr|demo|"
                           r"discussion|sync)\b", re.IGNORECASE)
_SMALL_TALK = re.compile(r"\b(?:about|re)\s+(?:her|his|their)\s+(?:own\s+)?(?:kids|children|family|holidays?|vacation|"
                         r"weekend|trip|dogs?|wedding|hobby|hobbies|sons?|daughters?|husband|wife|partner|garden|"
                         r"marathon|house|move)\b", re.IGNORECASE)
_LABELLED = re.compile(r"[^\w]*[A-Za-z][\w'’ .-]{0,40}?\s*(?:\([^()]*\))?\s*:\s*")  # "Dana (CFO): " heads it
# "Dana's boss is unhappy" is the boss's mood; "Dana's feedback was glowing" is still Dana's.
_POSSESSED = re.compile(r"['’]s\s+(?!(?:\w+\s+)?(?:feedback|reaction|response|tone|mood|attitude|view|take|reply|"
                        r"comments?|words|manner|face|voice|body\s+language)\b)(?:[a-z]+\s+){1,2}"
                        r"(?:is|was|are|were|seems?|seemed|looked|sounded|got)\b", re.IGNORECASE)
_PRAISE_NOUN = re.compile(r"\s+(?:job|work|effort)\b", re.IGNORECASE)  # "said we did a great job": praise of us
_QUOTE_OPENS = re.compile(r"\s*['‘\"“]")
_REFERS = re.compile(r"\b(?:she|he|they|her|him|them|who)\b", re.IGNORECASE)


# A mood at someone ("frustrated w/ Hugo", "annoyed with Dana"): about a colleague, not about us.
_AT_SOMEONE = re.compile(r"\s+(?:with|w/|at|by)\s+")
# A change of mind: what follows outweighs what came before ("against at first but in the end he agreed").
_IN_THE_END = re.compile(r"\b(?:in\s+the\s+end|eventually|ultimately|finally|by\s+the\s+end|now|this\s+time)\b",
                         re.IGNORECASE)
_YET = re.compile(r"\byet\b", re.IGNORECASE)
_AFTER_CONTRAST = re.compile(r"\b(?:but|however|yet|though|although)\W*$", re.IGNORECASE)
# What they were at first, said as past ("against in the beginning, now ok with it"): no contrast word needed.
_AT_FIRST = re.compile(r"\b(?:at\s+first|in\s+the\s+beginning|initially|at\s+the\s+start|originally)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SentimentCue:
    key: str  # the mention key of the person it is about
    value: int
    span: str
    general: bool = False  # the meeting's mood, said of everyone in it: a person's own cue outweighs it
    final: bool = False  # after a change of mind ("in the end"): outweighs what came before
    stance: bool = False  # a stance (``stance.py``): its sign counts, not its size


def sentiment_cues(text: str, scan: PeopleScan, *, skip: list[tuple[int, int]] = ()) -> list[SentimentCue]:
    """Every sentiment cue in ``text`` that is about a person, with its value and the clause it came from.

    ``skip`` are stretches (commitment clauses) whose mood words are about the promise, not a person.
    """
    out: list[SentimentCue] = []
    voice = voices(text, scan)  # "From: Laura Reid ... I'm fully supportive", "[14:03] Emma: we're done"
    for sentence in sentences(text):
        parts = clauses(sentence)
        cued: set[int] = set()
        for cue in CUE_RE.finditer(text, sentence.start, sentence.end):
            clause = next((c for c in parts if c.start <= cue.start() < c.end), None)
            if clause is None:
                continue
            cued.add(clause.start)
            if any(a <= cue.start() < b for a, b in skip):
                continue
            meeting = cue.group(0).lower() in _MEETING_MOODS
            if meeting and not _OVERALL.search(text, clause.start, clause.end):
                continue  # "the call went well": the meeting's, not a person's
            if _at_someone(text, scan, cue.end()) and not deed_by_agent(text, cue):
                continue
            people = (_about(text, scan, clause, sentence, parts, cue.start(), cue.end())
                      or subject(text, scan, sentence, clause, cue.start()))
            sender = None if people else voice.speaker(text, clause.start, first_person=False)
            people = [sender] if sender is not None else people
            value = _value(text, cue)
            if people and value == 0 and _NEGATIONS.search(text[max(0, cue.start() - 30) : cue.start()]):
                # "nothing negative or positive": said of them, and neutral; the meeting's mood is not theirs
                out.extend(SentimentCue(m.key, 0, _span(text, clause, people, cue.end())) for m in people
                           if not m.ambiguous)
            if not people or value == 0:
                continue
            span = _span(text, clause, people, cue.end())
            final = _changed_mind(text, clause, cue.start())
            out.extend(SentimentCue(m.key, value, span, general=meeting or len(people) > 2, final=final)
                       for m in people if not m.ambiguous)
        out.extend(_stance_cues(text, scan, sentence, parts, cued, skip, voice))
        out.extend(_undecided(text, scan, sentence, parts))
        for clause in parts:
            if clause.start in cued:
                continue
            said = None if _in(clause, skip) else predicate(text, scan, sentence, clause)
            lacking = less_so(text, scan, sentence, clause)
            if lacking is not None and out and out[-1].key != lacking.key and out[-1].value > 0:
                out.append(SentimentCue(lacking.key, -1, text[lacking.start : clause.end]))  # "Tom, not so much"
            elif said is not None:  # "Abigail good", "Andre is enthusiast", "Owen Price, very sharp"
                if said.value:
                    out.extend(SentimentCue(m.key, said.value, text[said.start : said.end])
                               for m in (said.person, *said.others))
            else:
                out.extend(_general_cues(text, scan, clause, sentence, parts, skip,
                                         voice.speaker(text, clause.start, first_person=False)))
    for emoji in emoji_moods(text, scan, list(skip)):  # "Dana 👍", "→ james asked why ... 😤"
        line = next(s for s in sentences(text) if s.start <= emoji.start < s.end)
        out.append(SentimentCue(emoji.person.key, emoji.value, line.text.strip(" ,;:.→->"), stance=True))
    for rated in ratings(text, scan):  # "put her neutral", "mark Irene as positive": outweighs the rest
        out.append(SentimentCue(rated.person.key, rated.value, text[rated.start : rated.end], final=True))
    for said in [*quoted_moods(text, scan, list(skip)), *reported_appraisals(text, scan, list(skip), out)]:
        out.append(SentimentCue(said.person.key, said.value, text[said.start : said.end]))
    for person, value, words in meeting_mood(text, scan, list(skip)):  # "vanessa called, all good", "Went well."
        if not any(c.key == person.key for c in out):
            out.append(SentimentCue(person.key, value, words, general=True))
    return out


def _stance_cues(text: str, scan: PeopleScan, sentence: Piece, parts: list[Piece], cued: set[int],
                 skip: list[tuple[int, int]], voice: Voices) -> list[SentimentCue]:
    """Stances for or against us (``stance.py``), each for the subject of its clause."""
    out: list[SentimentCue] = []
    taken = [(c.start(), c.end()) for c in CUE_RE.finditer(text, sentence.start, sentence.end)]
    for found in STANCE_RE.finditer(text, sentence.start, sentence.end):
        promised = any(a <= found.start() < b for a, b in skip) and not goodwill(found)
        if any(a < found.end() and found.start() < b for a, b in taken) or promised:
            continue
        clause = next((c for c in parts if c.start <= found.start() < c.end), None)
        if clause is None:
            continue
        people = [m for m in subject(text, scan, sentence, clause, found.start()) if not m.ambiguous]
        people = people or [m for m in [voice.speaker(text, found.start(), first_person=False)] if m]  # a speaker's
        if not people:
            continue
        cued.add(clause.start)
        value = stance_value(found)
        if _NEGATIONS.search(text[max(0, found.start() - 30) : found.start()]):
            # "not ok with it" is against; "not against" only not against; "not sold on price yet" undecided
            value = -1 if value > 0 and not _YET.search(text, found.end(), clause.end) else 0
        if value == 0:
            continue
        final = _changed_mind(text, clause, found.start())
        out.extend(SentimentCue(m.key, value, _span(text, clause, people, found.end()), final=final, stance=True)
                   for m in people)
    return out


def _changed_mind(text: str, clause: Piece, start: int) -> bool:
    """Whether the clause of a cue at ``start`` follows a contrast, or a mood said to be of the start, and says the
    mind changed ("... but in the end he agreed", "against in the beginning, now ok with it", "sceptical at first,
    warmed up by the end"): it then outweighs what the person was said to be before."""
    after_contrast = _AFTER_CONTRAST.search(text, max(0, clause.start - 12), clause.start)
    at_first = _AT_FIRST.search(text, max(0, clause.start - 80), clause.start)
    return bool((after_contrast or at_first) and _IN_THE_END.search(text, clause.start, clause.end))


def _at_someone(text: str, scan: PeopleScan, end: int) -> bool:
    """Whether a mood word ending at ``end`` is at a person named right after it ("frustrated w/ Hugo")."""
    at = _AT_SOMEONE.match(text, end)
    return at is not None and any(m.start == at.end() for m in scan.mentions)


def _in(clause: Piece, skip: list[tuple[int, int]]) -> bool:
    return any(a < clause.end and clause.start < b for a, b in skip)


def _general_cues(text: str, scan: PeopleScan, clause: Piece, sentence: Piece, parts: list[Piece],
                  skip: list[tuple[int, int]], sender: Mention | None = None) -> list[SentimentCue]:
    """The general lexicon's reading of a clause with no domain cue, for the person it is about. Of a clause that
    runs into a commitment ("Anton says our tool is a waste of money and he will recommend to stop"), only the words
    before the promise are read."""
    cut = min((a for a, b in skip if clause.start < a < clause.end), default=clause.end)
    if _in(Piece(clause.start, cut, text[clause.start : cut]), skip):
        return []
    clause = Piece(clause.start, cut, text[clause.start : cut])
    mentions = scan.at(clause.start, clause.end)
    # "Dana: love the new UI" is Dana's; a quote after the label may be ironic ("Dana: 'oh great, another bug'")
    labelled = (_LABELLED.fullmatch(text, sentence.start, clause.start) and scan.at(sentence.start, clause.start)
                and not _QUOTE_OPENS.match(text, clause.start))
    if not mentions and not _REFERS.search(text, clause.start, clause.end) and not labelled and sender is None:
        return []  # "great news", "all good": the writer's view of things, not of a person
    masked, pos = [], clause.start
    for m in mentions:  # a name is nobody's mood ("Joy", "Hope")
        masked.append(text[pos : max(pos, m.start)] + "someone")
        pos = max(pos, m.end)
    masked.append(text[pos : clause.end])
    score = clause_score("".join(masked))
    if abs(score) < _CLEAR:
        return []
    sign = 1 if score > 0 else -1
    where = strongest_word(text, clause.start, clause.end, sign)
    if where is None or any(m.start <= where[0] < m.end for m in mentions):
        return []
    if re.search(FORMERLY + "|" + NOT_EVEN, text[max(clause.start, where[0] - 40) : where[0]], re.I):
        sign = -sign  # "used to be our loudest advocate": no more; "didn't even pretend to be nice": was not
    if _MEETING_NOUN.match(text, where[1]) and _SMALL_TALK.search(text, where[1], clause.end):
        return []  # "nice chat about her kids": a pleasant talk about their own life, no view of us
    if (_IN_NOUN_PHRASE.search(text, clause.start, where[0]) and not _MEETING_NOUN.match(text, where[1])
            and not _PRAISE_NOUN.match(text, where[1])):
        return []  # "their loyalty programme", "the fraud module": a thing's name, not a mood
    people = [m for m in _about(text, scan, clause, sentence, parts, *where) if not m.ambiguous]
    people = people or ([sender] if sender is not None else [])  # "the revised pricing is not acceptable": hers
    if not people:
        return []
    span = _span(text, clause, people, where[1])
    return [SentimentCue(m.key, sign, span) for m in people]


def _value(text: str, cue: re.Match[str]) -> int:
    word = cue.group(0).lower()
    weight = _WEIGHTS[word]
    before = text[max(0, cue.start() - 30) : cue.start()]
    if _HEDGED.search(before):
        return 0  # "almost friendly" stops short of it
    if weight > 0 and _KEEN_TO_GO.match(text, cue.end()):
        return -1  # "seemed keen to end the meeting"
    if word in _PUSHBACK and not (_HARD_AFTER.match(text, cue.end()) or _INTENSE_BEFORE.search(before)
                                  or _KEPT_BEFORE.search(before)):
        return 0
    if word == "understanding" and not _MOOD_BEFORE.search(before):
        return 0
    if weight == 1 and re.match(r"\s+enough\b", text[cue.end() :]):
        return 0  # "friendly enough": faint praise, no stance
    negated = _NEGATIONS.search(before)
    if negated:  # "not happy" is negative; "not unhappy", "nothing negative or positive" say only what it is not
        return -1 if weight > 0 and not re.match(r"(?:nothing|neither)\b", negated.group(0), re.I) else 0
    if _INTENSE_BEFORE.search(before):
        return 2 if weight > 0 else -2
    return weight


def _about(text: str, scan: PeopleScan, clause: Piece, sentence: Piece, parts: list[Piece], start: int,
           end: int) -> list[Mention]:
    """The people a cue at ``start:end`` is about."""
    agent = passive_agent(text, scan, clause, start, end)
    if agent is not None:  # "Strong support ... was expressed by Bianca", "... received very positively by him"
        return [m for m in agent if not m.ambiguous]
    before = [m for m in scan.at(clause.start, start) if m.end <= start]
    if before and _POSSESSED.match(text, before[-1].end, start):
        return []  # "Dana's boss is unhappy": the mood of the one she has, not hers
    if before:
        nearest = before[-1]
        group = [nearest]
        for m in reversed(before[:-1]):  # "Dana and Raj were happy"
            if JOINED.match(text[m.end : group[-1].start]):
                group.append(m)
            else:
                break
        return group
    lead = text[clause.start : start]
    after = [m for m in scan.at(end, clause.end) if m.start >= end]
    if after and _MEETING_NOUN.match(text, end):  # "great call with Helen (and Raj)": the meeting's praise is theirs
        group = after[:1]
        for m in after[1:]:
            if not JOINED.match(text[group[-1].end : m.start]):
                break
            group.append(m)
        return group
    if _OVERALL.search(text, clause.start, clause.end) and not scan.at(clause.start, clause.end):
        return _group(scan, sentence, start, "all")  # "positive overall"
    opening = clause.start == sentence.start or not (
        scan.at(sentence.start, clause.start) or _WE.match(text, sentence.start, clause.start))
    if _SHE.match(lead) or (_BARE.match(lead) and opening):
        # "she was keen", or a sentence with no subject ("Very happy with the rollout."): the last person named
        she = _SHE.match(lead)
        found = scan.before(clause.start, she.group("pronoun") if she else None)
        if found:
            return [found]
        after = [m for m in scan.at(end, clause.end) if m.start >= end]  # "Great call with Dana"
        later = [m for m in scan.at(end, sentence.end) if m.start >= end]  # "Really keen, Dana wants to move"
        return (after or later)[:1]
    group = _GROUP.match(lead)
    if group:  # "Karen and Paul ..., both enthusiastic", "the others happy"
        return _group(scan, sentence, start, group.group("who").lower())
    if _THEY.match(lead) and sentence.start == clause.start:
        return _named_just_before(text, scan, sentence)
    if _WE.match(lead):
        return []
    she_before = _SHE_BEFORE.search(lead) or _SEEN_AS.search(lead)
    if she_before:  # "the sync broke again and she is frustrated", "great to see her so engaged"
        found = scan.before(start, she_before.group("pronoun"))
        return [found] if found else []
    after = [m for m in scan.at(end, clause.end) if m.start >= end]
    if after:
        return [after[0]]
    # a clause with no subject of its own ("Dana (CFO), worried about budget"): the sentence's last person
    earlier = [m for m in scan.at(sentence.start, clause.start) if m.end <= clause.start]
    if earlier and not re.match(r"^\s*(?:it|this|that|which|there|the|our|my|their)\b", lead, re.IGNORECASE):
        return [earlier[-1]]
    return []


def _group(scan: PeopleScan, sentence: Piece, start: int, who: str) -> list[Mention]:
    """The people a group word stands for: those named before it in its sentence, else everyone named before it;
    "both" the last two of them, "the others" everyone named before except those of its own sentence."""
    here = [m for m in scan.at(sentence.start, start) if m.end <= start and not m.ambiguous]
    earlier = [m for m in scan.mentions if m.end <= start and not m.ambiguous]
    if who.startswith("the others") or who.startswith("the rest"):
        named_here = {m.key for m in here}
        return list({m.key: m for m in earlier if m.key not in named_here}.values())
    if len({m.key for m in here}) < 2:
        here = earlier
    distinct = list({m.key: m for m in reversed(here)}.values())  # the latest mention of each, last first
    return distinct[:2] if who.startswith("both") else distinct


def _named_just_before(text: str, scan: PeopleScan, sentence: Piece) -> list[Mention]:
    """The people the sentence before ``sentence`` names, when it names two or more (and none is ambiguous)."""
    previous = [s for s in sentences(text) if s.end <= sentence.start]
    if not previous:
        return []
    named = scan.at(previous[-1].start, previous[-1].end)
    if len({m.key for m in named}) < 2 or any(m.ambiguous for m in named):
        return []
    return list({m.key: m for m in named}.values())


def _span(text: str, clause: Piece, people: list[Mention], cue_end: int) -> str:
    start = clause.start
    end = clause.end
    first = min(m.start for m in people)
    if clause.start <= first < cue_end:
        start = first
    return text[start:end].strip(" ,;:.")


def _undecided(text: str, scan: PeopleScan, sentence: Piece, parts: list[Piece]) -> list[SentimentCue]:
    """A person the writer calls undecided ("Anton mixed: likes the uptime, hates the price", "Zoe was on the
    fence"): neutral, whatever the clauses after it weigh."""
    out: list[SentimentCue] = []
    for m in UNDECIDED.finditer(text, sentence.start, sentence.end):
        clause = next((c for c in parts if c.start <= m.start() < c.end), None)
        if clause is None:
            continue
        people = subject(text, scan, sentence, clause, m.start())
        out.extend(SentimentCue(p.key, 0, text[clause.start : clause.end].strip(), final=True)
                   for p in people if not p.ambiguous)
    return out


def person_sentiments(cues: list[SentimentCue]) -> dict[str, tuple[int, str]]:
    """Each person's sentiment (the sum of their cues, held to -2..+2) and the span of their first cue."""
    totals: dict[str, list[int]] = {}
    spans: dict[str, str] = {}
    own = {c.key for c in cues if not c.general}
    final = {c.key for c in cues if c.final}
    kept = [c for c in cues if not ((c.general and c.key in own) or (c.key in final and not c.final))]
    # (the person's own cues outweigh the meeting's mood; a change of mind what came before it)
    moods: dict[str, set[int]] = {}
    for cue in kept:
        if not cue.stance:
            moods.setdefault(cue.key, set()).add((cue.value > 0) - (cue.value < 0))
    for cue in kept:
        value = cue.value
        if cue.stance:  # a stance tells which way someone leans, not how strongly: it adds no size to a mood
            sign = (value > 0) - (value < 0)
            if sign in moods.get(cue.key, set()):
                continue
            value = sign
        totals.setdefault(cue.key, []).append(value)
        spans.setdefault(cue.key, cue.span)
    # said to be not negative ("less enthusiastic but not negative", "not unhappy"): whatever else, not negative
    calm = {c.key for c in kept if c.value == 0}
    return {key: (max(0, total) if key in calm else total, spans[key])
            for key, values in totals.items() for total in [_overall(values, key in moods)]}


def _overall(values: list[int], has_mood: bool = True) -> int:
    """One person's cues together: mixed ("happy with service, annoyed by the invoice") is neutral; stances alone
    give a lean (+1 / -1), not a size."""
    if any(v > 0 for v in values) and any(v < 0 for v in values):
        return 0
    if not has_mood:
        return (sum(values) > 0) - (sum(values) < 0)
    return max(-2, min(2, sum(values)))
