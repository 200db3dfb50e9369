"""Who a note mentions: known stakeholders (full name, unique first or last name, a unique title) and new people
introduced with their titles ("Met Dana (CFO)", "their new CTO, Raj Patel", "Li Wei, head of procurement").

A first or last name shared by two known people is a question, unless one of them is named in full in the note
or by the title after it ("Kumar (CIO)"). A bare unknown name after "met" / "call with" is a question too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tools.accounts import GENERIC_WORDS
from tools.notes.extract.given_names import is_given_name, pronoun_fits
from tools.notes.extract.name_words import (
    COMMON_NAME_WORDS,
    closes_not_a_name,
    common_word_as_name,
    opens_not_a_name,
)
from tools.notes.extract.organisations import is_organisation
from tools.notes.extract.text import (
    DEPARTMENT_WORDS,
    NAME_TOKEN,
    NOT_NAMES,
    PERSON_NAME,
    TITLE_PHRASE,
    TITLE_WORDS,
    clean_title,
    is_title,
    title_fits,
    title_key,
)
from tools.notes.extract.typed_names import by_initial, known_misspelt, misspelt, surname_end
from tools.notes.schema import KnownPerson

_NAME_RE = re.compile(PERSON_NAME)
_TOKEN_RE = re.compile(NAME_TOKEN)
_PARENS = re.compile(r"\s*\(([^()]{2,60})\)")
_HONORIFIC = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra)\.?[ \t]+$")
_AFTER_TITLE = re.compile(
    r"\s*(?:,\s*|\s+-\s+|\s+(?:who\s+is|who['’]s|is)\s+)(?:(?:their|the|our|a|an|its)\s+)?(?:new\s+)?"
    r"(?P<title>" + TITLE_PHRASE + r")"
    r"(?=\s*(?:[,.;:()!?\n]|\s-\s|$|\s(?:and|who|said|says|told|was|is|joined|from|at|in|on|will|wants|asked)\b))"
)
_BEFORE_STOP = {"their", "the", "our", "a", "an", "new", "with", "met", "and", "to", "from", "at", "by", "for",
                "introduced", "meet", "its"}
_CUE = re.compile(
    r"\b(?:met(?:\s+with)?|meeting\s+with|call\s+with|spoke\s+(?:with|to)|talked\s+(?:with|to)|lunch\s+with|"
    r"coffee\s+with|dinner\s+with|caught\s+up\s+with|catch[- ]up\s+with|sat\s+down\s+with|chat(?:ted)?\s+with|"
    r"QBR\s+with|heard\s+from|email\s+from|emailed|phoned|rang|visited|joined\s+by|"
    r"(?:mtg|meeting|call|sync|lunch|qbr|onsite|zoom|teams)\s+(?:[\w./-]+\s+){0,2}?(?:w/?|with))\s+",  # "mtg Weds w"
    re.IGNORECASE,
)
_ACTS = re.compile(
    r"\s+(?:(?:also|then|just|really|clearly|immediately)\s+)?(?:said|says|asked|asks|wants|wanted|joined|was|is|"
    r"will|agreed|pushed|raised|mentioned|confirmed|presented|led|ran|dialled|dialed|called|emailed|thinks|thought|"
    r"loved|liked|complained|seemed|explained|walked|showed|shared|suggested|offered|promised|questioned|noted|"
    r"flagged|replied|argued|insisted|admitted|expects|expected|needs|needed|hates|likes|loves|would|wasn['’]?t|"
    r"isn['’]?t|didn['’]?t|doesn['’]?t|can['’]?t|won['’]?t)\b|['’](?:s|ll|d)\s",
    re.IGNORECASE,
)
_JOINED_AS = re.compile(
    r"(?:\s*,\s*who)?\s+(?:(?:has\s+)?(?:joined|started|starts|is\s+joining|came\s+on(?:\s+board)?)\s+as|"
    r"(?:takes|took|is\s+taking|will\s+take|has\s+taken)\s+over(?:\s+as)?)\s+"
    r"(?:(?:the|their|our|a|an)\s+)?(?:new\s+)?(?P<title>" + TITLE_PHRASE + r")"
    r"(?=\s*(?:[,.;:()!?\n]|$|\s(?:and|but|at|from|on|in|last|this|next|starting|effective)\b))",
    re.IGNORECASE,
)
_NEW_HOLDER = re.compile(r"\bnew\s+(?P<title>" + TITLE_PHRASE + r")\s+(?:is|will\s+be|=|:|-)\s+"
                         r"(?P<name>" + NAME_TOKEN + ")")
_NEW_APPOSITIVE = re.compile(r"\b(?:the|their|our)\s+new\s+(?P<title>" + TITLE_PHRASE + r")(?:\s+(?:at|from)\s+"
                             r"[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})?,\s*(?P<name>" + NAME_TOKEN + ")")
_OURS_BEFORE = re.compile(r"\b(?:our|my)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_PERSON_BEFORE = re.compile(r"(?:\b(?:with|w/|met|and|to|by|from|cc|plus)|[,+&(:•*-])\s*$", re.IGNORECASE)
_PERSON_AFTER = re.compile(r"\s*(?:[,.;:!?()\n+&]|$|\s(?:and|from|at|of|who|joined|on\s+the|was|is|were|had|has|"
                           r"as|in|came|dropped|dialled|dialed)\b)")
_COLLEAGUE = re.compile(r"\b(?:joined|on|in|sat\s+in\s+on|shadowed|covered|attended)\s+(?P<name>" + NAME_TOKEN
                        + r")['’]s\s+(?:call|qbr|QBR|meeting|review|demo|visit|catch-?up|sync|lunch|session|onsite)\b",
                        re.IGNORECASE)
_LOWER_CUE = re.compile(r"(?:\b(?:w/?|with|to|met|and|called|rang|phoned|emailed|from|cc)|[,+&:>])\s*$")
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")


@dataclass
class Mention:
    """One place the note names a person."""

    start: int
    end: int
    text: str
    name: str
    person_id: str | None = None
    title: str | None = None  # the title the note gives them, if any
    is_new: bool = False
    ambiguous: bool = False

    @property
    def key(self) -> str:
        return self.person_id or ("?" if self.ambiguous else "new:" + self.name.casefold())


@dataclass
class PeopleScan:
    mentions: list[Mention] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    relayers: list[tuple[int, int]] = field(default_factory=list)  # where our own people are named

    def before(self, pos: int, pronoun: str | None = None) -> Mention | None:
        """The person mentioned last before ``pos`` (what "she" / "he" refers to): with ``pronoun``, the last one
        it can stand for ("Leila said Hassan is frustrated. She'll send ..." is Leila)."""
        found = [m for m in self.mentions if m.end <= pos and (pronoun is None or pronoun_fits(m.name, pronoun))]
        return max(found, key=lambda m: m.end) if found else None

    def at(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start < end and start < m.end]


def scan_people(text: str, people: list[KnownPerson], *, exclude: list[tuple[int, int]] = ()) -> PeopleScan:
    """Every mention of a person in ``text``; ``people`` are the known stakeholders of the note's account."""
    scan = PeopleScan()
    taken: list[tuple[int, int]] = list(exclude)

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(m: Mention) -> None:
        scan.mentions.append(m)
        taken.append((m.start, m.end))

    # 1. known people by full name, longest first
    for person in sorted(people, key=lambda p: -len(p.name)):
        pattern = r"(?<![\w])" + r"\s+".join(re.escape(w) for w in person.name.split()) + r"(?![\w])"
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if free(m.start(), m.end()):
                end = _with_parens(text, m.end())
                add(Mention(m.start(), end, text[m.start() : end], person.name, person.id))

    # 1b. a name and an initial, as notes tell namesakes apart: "priya s", "Priya S.", "K. Mason"
    for person, m in by_initial(text, people):
        if free(m.start(), m.end()):
            add(Mention(m.start(), m.end(), m.group(0), person.name, person.id))

    tokens = _token_index(people)
    # 2. new people introduced with a title
    for m in _NAME_RE.finditer(text):
        start, end, name = _trim_name(m)
        if not name or not free(start, end) or _is_known_token(name, tokens):
            continue
        found = _titled(text, start, end, name) or _acting(text, start, end, name)
        if found is not None and free(found.start, found.end):
            add(found)
    for m in [*_NEW_HOLDER.finditer(text), *_NEW_APPOSITIVE.finditer(text)]:
        # "the new Head of IT is Hannah Cole", "the new CFO at Crown Point, Daniel Hart"
        named = _NAME_RE.match(text, m.start("name"))
        start, end, name = _trim_name(named) if named else (0, 0, "")
        title_ok = is_title(m.group("title")) and not is_organisation(name)
        if len(name.split()) >= 2 and start == m.start("name") and title_ok and free(start, end):
            add(Mention(start, end, text[start:end], name, title=clean_title(m.group("title")), is_new=True))
    for m in _NAME_RE.finditer(text):  # then anyone else named in full ("Omar Reyes")
        start, end, name = _trim_name(m)
        if name and free(start, end) and not _is_known_token(name, tokens):
            typo = known_misspelt(name, people)  # "Laura Hoffman" for Laura Hoffmann
            found = Mention(start, end, text[start:end], typo.name, typo.id) if typo else _full_name(text, start, end,
                                                                                                     name)
            if found is not None:
                add(found)

    # 3. known people by a unique first or last name; new people by their first name
    full_ids = {m.person_id for m in scan.mentions if m.person_id}
    new_first = {m.name.split()[0]: m for m in scan.mentions if m.is_new}
    asked: set[str] = set()
    colleagues = {c.group("name") for c in _COLLEAGUE.finditer(text)}  # "joined Tom's call": Tom is one of us
    for m in _TOKEN_RE.finditer(text):
        token = m.group(0)
        if not free(m.start(), m.end()) or token in NOT_NAMES or not _word_bounded(text, m.start(), m.end()):
            continue
        if token in colleagues and not _other_surname(text, m.end(), token, []):
            continue
        candidates = tokens.get(token, [])
        if candidates and _other_surname(text, m.end(), token, candidates):
            continue  # "Dana Smith" is not Dana Whitfield: a new person, found by the steps below
        end = _with_parens(text, surname_end(text, m.end(), candidates[0].name) if len(candidates) == 1 else m.end())
        if len(candidates) == 1:
            add(Mention(m.start(), end, text[m.start() : end], candidates[0].name, candidates[0].id))
        elif len(candidates) > 1:  # named in full elsewhere, or by the title after it ("Kumar (CIO)")
            named = ([p for p in candidates if p.id in full_ids]
                     or [p for p in candidates if title_fits(text[m.end() : end], p.title)])
            if len(named) == 1:
                add(Mention(m.start(), end, text[m.start() : end], named[0].name, named[0].id))
                continue
            add(Mention(m.start(), m.end(), token, token, ambiguous=True))
            if token not in asked:
                asked.add(token)
                options = " or ".join(f"{p.name} ({p.title})" if p.title else p.name for p in candidates)
                scan.questions.append(f"Which {token} do you mean: {options}?")
        elif token in new_first:
            new = new_first[token]
            add(Mention(m.start(), m.end(), token, new.name, is_new=True))

    # 3b. known people by a unique first or last name written in lower case ("spoke to dana at acme")
    for m in re.finditer(r"\b[a-z](?:[a-z-]|['’](?!s\b)){2,}\b", text):  # "peter's been promoted": peter
        token = m.group(0).capitalize()
        candidates = tokens.get(token, [])
        if not candidates or not free(m.start(), m.end()) or (
                m.group(0) in COMMON_NAME_WORDS and not common_word_as_name(text, m)):
            continue
        named = [p for p in candidates if p.id in full_ids]
        if len(named) == 1 or len(candidates) == 1:
            chosen = (named or candidates)[0]
            end = surname_end(text, m.end(), chosen.name)  # "rajesh larson" for Rajesh Larsson
            add(Mention(m.start(), end, text[m.start() : end], chosen.name, chosen.id))
        elif _LOWER_CUE.search(text, 0, m.start()):  # "spoke to priya": which Priya?
            add(Mention(m.start(), m.end(), m.group(0), token, ambiguous=True))
            if token not in asked:
                asked.add(token)
                options = " or ".join(f"{p.name} ({p.title})" if p.title else p.name for p in candidates)
                scan.questions.append(f"Which {token} do you mean: {options}?")

    # 4. known people by a title that only one of them holds ("the CFO", "their head of procurement")
    for person, alias in _title_aliases(people):
        pattern = (r"\b(?:the|their|its|[A-Z][\w&]*['’]s)\s+(?P<new>new\s+)?(?P<t>" + alias
                   + r")\b(?!\s+(?:role|position|job|seat|title|post|slot|vacancy)\b)")  # "the COO role" is a job
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if m.group("new") or not free(m.start("t"), m.end("t")):
                continue
            add(Mention(m.start(), m.end(), m.group(0), person.name, person.id))

    # 5. unknown names right after "met" / "call with": a full name is a new person, a first name a question
    for cue in _CUE.finditer(text):
        pos = cue.end()
        while pos < len(text):
            here = [x for x in scan.mentions if x.start == pos]
            if here:
                pos = here[0].end
            else:
                m = _NAME_RE.match(text, pos)
                lower = _lower_full_name(text, pos) if not m else None
                if lower is not None and free(*lower[:2]):  # "spoke to chiara rossi at borealis"
                    add(Mention(lower[0], lower[1], text[lower[0] : lower[1]], lower[2], is_new=True))
                    pos = lower[1]
                    sep = _LIST_SEP.match(text, pos)
                    if not sep:
                        break
                    pos = sep.end()
                    continue
                if not m:
                    break
                start, end, name = _trim_name(m)
                if not name or start != pos or not free(start, end) or closes_not_a_name(name):
                    break  # "Teams w/ Beatriz Pearson, Fri": the day, not a person
                if is_organisation(name) or (len(name.split()) >= 2 and not is_given_name(name.split()[0])):
                    pass  # "met with Kestrel Freight", "call with Retail Energy": a company or a team
                elif len(name.split()) >= 2:
                    add(Mention(start, end, text[start:end], name, is_new=True))
                elif name not in asked:
                    asked.add(name)
                    scan.questions.append(
                        f"Who is {name}? I don't know a stakeholder by that name here; give their full name and "
                        f"title, e.g. '{name} Surname (Head of IT)'."
                    )
                    add(Mention(start, end, name, name, ambiguous=True))
                pos = end
            sep = _LIST_SEP.match(text, pos)
            if not sep:
                break
            pos = sep.end()

    for m in scan.mentions:  # "Mrs. Bauer", "Herr Weber": the honorific is part of how they are named
        honorific = _HONORIFIC.search(text, max(0, m.start - 7), m.start)
        m.start, m.text = (honorific.start(), text[honorific.start() : m.end]) if honorific else (m.start, m.text)
    scan.mentions.sort(key=lambda x: x.start)
    return scan


_LOWER_PAIR = re.compile(r"([a-z][a-z'’-]{1,15})\s+([a-z][a-z'’-]{2,20})\b")
_NOT_SURNAMES = {
    "at", "and", "from", "about", "today", "yesterday", "tomorrow", "this", "that", "the", "to", "for", "with", "on",
    "in", "re", "w", "by", "again", "briefly", "quickly", "earlier", "later", "last", "next", "morning", "afternoon",
    "evening", "over", "after", "before", "who", "which", "while", "but", "so", "then", "also", "too", "as", "of",
    "re:", "regarding", "via", "during", "around", "plus", "she", "he", "they", "their", "her", "his", "our", "my",
    "all", "just", "only", "still", "finally", "yet", "once", "twice", "online", "onsite", "remotely", "a", "an",
    "some", "two", "three", "few", "new", "one", "someone", "somebody", "everyone", "them", "him", "us", "me",
}


def _lower_full_name(text: str, pos: int) -> tuple[int, int, str] | None:
    """A full name written in lower case right after "met" / "spoke to" ("chiara rossi"): a given name then a
    word that is no common word of a note; returned title-cased."""
    m = _LOWER_PAIR.match(text, pos)
    if m is None:
        return None
    first, last = m.group(1), m.group(2)
    if not is_given_name(first.capitalize()) or first in COMMON_NAME_WORDS or first in _NOT_SURNAMES:
        return None
    if last in _NOT_SURNAMES or last.endswith("ly") or last.lower() in GENERIC_WORDS or last in DEPARTMENT_WORDS:
        return None
    return m.start(), m.end(), f"{first.capitalize()} {last.capitalize()}"


def _token_index(people: list[KnownPerson]) -> dict[str, list[KnownPerson]]:
    index: dict[str, list[KnownPerson]] = {}
    for person in people:
        words = person.name.split()
        for token in {words[0], words[-1]} if len(words) > 1 else {words[0]}:
            if token not in NOT_NAMES and len(token) > 1:
                index.setdefault(token, []).append(person)
    return index


def _is_known_token(name: str, tokens: dict[str, list[KnownPerson]]) -> bool:
    return len(name.split()) == 1 and name in tokens


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_")


def _with_parens(text: str, end: int) -> int:
    """Extend a name mention over a following "(CFO)"."""
    m = _PARENS.match(text, end)
    return m.end() if m and is_title(m.group(1)) else end


def _trim_name(m: re.Match[str]) -> tuple[int, int, str]:
    """A name match without leading or trailing words that are not names ("Met", "Head", "Procurement")."""
    words = list(re.finditer(r"\S+", m.group(0)))
    while words and (_not_name(words[0].group(0))
                     or opens_not_a_name(words[0].group(0), is_given_name(words[0].group(0)))):
        words.pop(0)
    while words and (_not_name(words[-1].group(0)) or (len(words) > 1 and closes_not_a_name(words[-1].group(0)))):
        words.pop()
    if not words:
        return m.start(), m.start(), ""
    start, end = m.start() + words[0].start(), m.start() + words[-1].end()
    return start, end, m.string[start:end]


def _not_name(word: str) -> bool:
    return word in NOT_NAMES or word.lower() in TITLE_WORDS or word.lower() in DEPARTMENT_WORDS


def _other_surname(text: str, end: int, token: str, candidates: list[KnownPerson]) -> bool:
    """Whether the first name ``token`` ending at ``end`` is followed by a surname none of ``candidates`` has."""
    after = re.match(r"[ \t]+(" + NAME_TOKEN + r")\b", text[end:])
    if after is None or _not_name(after.group(1)) or closes_not_a_name(after.group(1)):
        return False
    return all(p.name.split()[0] == token and after.group(1) not in p.name.split()[1:]
               and not misspelt(after.group(1), p.name.split()[-1]) for p in candidates)


def _titled(text: str, start: int, end: int, name: str) -> Mention | None:
    """``name`` at ``start:end`` introduced with a title: "(CFO)" after, a title before, or ", their CTO" after."""
    parens = _PARENS.match(text, end)
    if parens and is_title(re.sub(r"^new\s+", "", parens.group(1), flags=re.IGNORECASE)):
        return Mention(start, parens.end(), text[start : parens.end()], name, title=clean_title(parens.group(1)),
                       is_new=True)
    before = _title_before(text, start)
    if before is not None and (len(name.split()) >= 2 or is_given_name(name)):  # not "Head of Manufacturing
        # Excellence": one word after a title is a person only as a first name
        t_start, title = before
        return Mention(t_start, end, text[t_start:end], name, title=title, is_new=True)
    after = _AFTER_TITLE.match(text, end)
    if after and is_title(after.group("title")) and len(name.split()) >= 2:
        t_end = after.end("title")
        return Mention(start, t_end, text[start:t_end], name, title=clean_title(after.group("title")), is_new=True)
    return None


def _acting(text: str, start: int, end: int, name: str) -> Mention | None:
    """An unknown person named in full who acts in the note ("Tom Rivers asked for a demo", "Ana Diaz joined as
    Head of IT"): a new participant, with the title if the note gives one."""
    if len(name.split()) < 2 or is_organisation(name) or _OURS_BEFORE.search(text, 0, start):
        return None
    joined = _JOINED_AS.match(text, end)
    if joined and is_title(joined.group("title")):
        return Mention(start, end, text[start:end], name, title=clean_title(joined.group("title")), is_new=True)
    if _ACTS.match(text, end):
        return Mention(start, end, text[start:end], name, is_new=True)
    return None


def _full_name(text: str, start: int, end: int, name: str) -> Mention | None:
    """An unknown person named in full without a title ("Omar Reyes"): two or three capitalised words, the first a
    given name and none a company, department or title word (so not "Digital Solutions", "Grace Foods")."""
    words = name.split()
    if not 2 <= len(words) <= 3 or is_organisation(name) or not is_given_name(words[0]):
        return None
    if any(w.lower() in GENERIC_WORDS or w in NOT_NAMES for w in words[1:]):
        return None
    if _OURS_BEFORE.search(text, 0, start):
        return None  # "our CSM Lisa Park": a colleague, not one of the customer's people
    # where a person stands: after "with" / "met" / a list of people, or before a pause or "from" / "joined" ...
    # ("Victoria Station office", "the Grace Period", "Mark Complete on" are things)
    if _PERSON_BEFORE.search(text, 0, start) or _PERSON_AFTER.match(text, end):
        return Mention(start, end, text[start:end], name, is_new=True)
    return None


def _title_before(text: str, start: int) -> tuple[int, str] | None:
    """A title right before a name ("their new CTO, Raj Patel"): where it starts, and the title."""
    head = text[:start]
    m = re.search(r"(?:,\s*|\s+)$", head)
    if not m:
        return None
    pos = m.start()
    words: list[re.Match[str]] = []
    for w in reversed(list(re.finditer(r"[\w&/'’-]+", head[:pos]))):
        if head[w.end() : pos if not words else words[-1].start()].strip():
            break  # punctuation between words ends the title
        low = w.group(0).lower()
        if low in _BEFORE_STOP or low.endswith(("'s", "’s")) or len(words) >= 6:
            break
        words.append(w)
    if not words:
        return None
    words.reverse()
    title = head[words[0].start() : words[-1].end()]
    if not is_title(title) or title.lower() in TITLE_WORDS - {"cfo", "ceo", "cto", "coo", "cio", "cmo", "ciso"}:
        return None
    lead = re.search(r"(?:\b(?:their|the|our|its|a|an)\s+)?(?:new\s+)?$", head[: words[0].start()], re.IGNORECASE)
    t_start = lead.start() if lead and lead.group(0) else words[0].start()
    return t_start, clean_title(title)


def _title_aliases(people: list[KnownPerson]) -> list[tuple[KnownPerson, str]]:
    """Regex aliases of each title held by exactly one known person: as written, and "CFO" for "Chief ... Officer"."""
    by_key: dict[str, list[KnownPerson]] = {}
    for person in people:
        if person.title:
            by_key.setdefault(title_key(person.title), []).append(person)
    out: list[tuple[KnownPerson, str]] = []
    for key, (person, *others) in by_key.items():
        if others:
            continue
        variants = {re.escape(person.title or "").replace(r"\ ", r"\s+"), re.escape(key).replace(r"\ ", r"\s+")}
        words = key.split()
        if len(words) >= 2 and words[0] in {"vp", "head", "director"}:
            variants.add(words[0] + r"\s+of\s+" + r"\s+".join(re.escape(w) for w in words[1:]))
        out.extend((person, v) for v in sorted(variants) if v)
    return out
