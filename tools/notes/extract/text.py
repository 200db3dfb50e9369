"""Small text helpers shared by the offline extractor: sentences, clauses, capitalised names, titles."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A capitalised name token: "Dana", "O'Brien", "McKay", "Anne-Marie".
NAME_TOKEN = r"(?:[A-Z](?:[a-z]+|['’][A-Z][a-z]+)(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?)"
PERSON_NAME = NAME_TOKEN + r"(?:[ \t]+" + NAME_TOKEN + r"){0,2}"  # one line: "Jordan Lee\n\nSummary" is not a name

# The characters of a word of a title ("VP", "R&D", "e-commerce", "Sr."), a full stop only inside it, so that a
# title never runs on past the end of its sentence ("promoted to CTO. Helen ...").
_TITLE_CHARS = r"(?:[\w&/-]|\.(?=\w))*"
TITLE_PHRASE = r"[A-Za-z]" + _TITLE_CHARS + r"(?:\s+[\w&/-]" + _TITLE_CHARS + r"){0,6}?"

# Words that make a phrase a job title ("head of procurement", "VP Finance", "their new CTO").
TITLE_WORDS = {
    "ceo", "cfo", "cto", "coo", "cio", "cmo", "cpo", "cro", "ciso", "cdo", "cso", "vp", "svp", "evp", "avp",
    "president", "chairman", "chair", "founder", "co-founder", "owner", "partner", "director", "head", "manager",
    "lead", "leader", "chief", "officer", "controller", "comptroller", "treasurer", "counsel", "buyer", "architect",
    "engineer", "analyst", "administrator", "coordinator", "specialist", "consultant", "principal", "supervisor",
    "executive", "gm", "secretary", "sponsor", "champion", "procurement", "purchasing", "md",
}
# Words of departments and functions, which titles are made of ("VP of Finance", "Head of Data & Analytics").
DEPARTMENT_WORDS = {
    "finance", "financial", "procurement", "purchasing", "operations", "ops", "sales", "marketing", "engineering",
    "it", "data", "analytics", "security", "information", "hr", "legal", "supply", "chain", "customer", "success",
    "digital", "strategy", "product", "products", "technology", "transformation", "business", "systems",
    "applications", "regional", "infrastructure", "development", "research", "quality", "compliance", "risk",
    "treasury", "accounting", "facilities", "logistics", "services", "experience", "support", "service", "people",
    "talent", "platform", "innovation", "growth", "commercial", "partnerships", "emea", "apac", "americas", "global",
    "europe", "cloud", "network", "field", "manufacturing", "plant", "production", "r&d", "pmo", "project",
    "programs", "program", "category", "senior", "junior", "deputy", "assistant", "associate", "interim", "acting",
    "general", "executive", "enterprise", "architecture", "integration", "revenue", "cycle", "claims", "underwriting",
    "clinical", "medical", "store", "stores", "e-commerce", "warehouse", "fleet", "transport", "payments", "it&",
    "management", "commerce", "ecommerce", "solutions", "retail", "energy", "accounts", "billing",
}
# Capitalised words that are never a person's name in a note.
NOT_NAMES = {
    "I", "We", "They", "She", "He", "It", "The", "Their", "Our", "My", "Met", "Call", "Called", "Meeting", "Email",
    "Next", "Also", "Then", "Today", "Tomorrow", "Yesterday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "QBR", "ROI", "Quick", "Good", "Great", "Overall", "Lunch", "Coffee", "Demo",
    "Spoke", "Talked", "Caught", "Sat", "Had", "Discussed", "Action", "Actions", "Follow", "Note", "Notes", "Re",
    "Customer", "Client", "Team", "Budget", "Pricing", "Renewal", "Nothing", "No", "Yes", "A", "An", "In", "On",
    "At", "With", "And", "But", "So", "If", "When", "After", "Before", "By", "Both", "All", "Everyone", "Apparently",
    "Per", "Via", "Hi", "Dear", "Thanks", "Ask", "Tell", "Loop", "Ping", "Cc", "Fyi", "Sync", "Catch",
    "Mr", "Mrs", "Ms", "Dr", "CEO", "CFO", "CTO", "COO", "CIO", "VP", "IT", "HR", "Head", "Director", "Chief",
}

# Not right after the full stop that closes a dotted date ("until 30.11. the volume forecast"): it ends no sentence
# that goes on in lower case, nor a clause.
NOT_AFTER_DOTTED_DATE = r"(?<!\d\.\d\.)(?<!\d\.\d\d\.)(?<!\d\d\.\d\.)(?<!\d\d\.\d\d\.)"
_SENTENCE_END = re.compile(r"(?<![A-Z][a-z]\.)(?<!\b[A-Z]\.)(?<!\bMrs\.)(?<!\bMme\.)(?<!\bProf\.)(?<=[.!?])"
                           + NOT_AFTER_DOTTED_DATE +
                           r"\s+|(?<=\d\.)\s+(?=[A-Z])|\s*\n+\s*|;\s+|\s+(?=\(\d{1,2}\)\s)|"
                           r"\s+(?:->|→|➡️?|>>)\s+")  # "call w/ Ian -> Ian: pro -> me: send the quote"
_CLAUSE_BREAK = re.compile(r",\s+|\s+(?:but|while|whereas|although|though|however)\s+|:\s+|\s+-\s+|\s+—\s+|\s+\|\s+")


@dataclass(frozen=True)
class Piece:
    """A stretch of the note: its text and where it starts and ends."""

    start: int
    end: int
    text: str


def sentences(text: str) -> list[Piece]:
    """The note cut at sentence ends, semicolons and line breaks."""
    out: list[Piece] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            out.append(Piece(pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append(Piece(pos, len(text), text[pos:]))
    return [p for p in out if p.text.strip()]


def clauses(sentence: Piece) -> list[Piece]:
    """A sentence cut at commas, colons, dashes and contrast words ("but", "while")."""
    out: list[Piece] = []
    pos = 0
    text = sentence.text
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            out.append(Piece(sentence.start + pos, sentence.start + m.start(), text[pos : m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append(Piece(sentence.start + pos, sentence.end, text[pos:]))
    return out


def piece_at(pieces: list[Piece], pos: int) -> Piece | None:
    for piece in pieces:
        if piece.start <= pos < piece.end:
            return piece
    return None


def is_title(phrase: str) -> bool:
    """Whether ``phrase`` reads as a job title: short, with a title word, and made only of title, department and
    joining words ("VP of Sales & Marketing", "head of procurement", "Chief Financial Officer")."""
    words = [w.strip(".,()").lower() for w in phrase.split()]
    if not 0 < len(words) <= 7 or not any(w in TITLE_WORDS for w in words):
        return False
    if words[0] in _JOINERS or words[-1] in _JOINERS:
        return False
    raw = [w.strip(".,()") for w in phrase.split()]
    if words[-1] in _HEAD_NOUNS and len(words) <= 4 and all(w.isalpha() and w not in _NOT_IN_TITLES for w in words):
        return True  # typed in lower case, words of the trade before the role: "dealer network manager"
    return all(w in TITLE_WORDS or w in DEPARTMENT_WORDS or w in _JOINERS or r[:1].isupper()
               for w, r in zip(words, raw, strict=True))


_HEAD_NOUNS = {"manager", "director", "lead", "engineer", "architect", "analyst", "officer", "specialist",
               "coordinator", "administrator", "controller", "planner", "buyer", "consultant", "head"}
_NOT_IN_TITLES = {"good", "great", "bad", "nice", "new", "old", "real", "very", "really", "quite", "just", "only",
                  "our", "their", "the", "a", "an", "his", "her", "my", "your", "happy", "unhappy", "angry", "keen",
                  "best", "worst", "former", "ex", "same", "other", "another", "that", "this", "some", "any"}


_JOINERS = {"of", "for", "&", "and", "the", "/", "-"}


def title_key(title: str) -> str:
    """A title reduced for comparison: lower case, no "of"/"the"/"and", acronyms for "Chief X Officer"."""
    words = [w for w in re.split(r"[\s&,/]+", title.lower().replace(".", "")) if w and w not in {"of", "the", "and"}]
    if len(words) >= 3 and words[0] == "chief" and words[-1] == "officer":
        return "c" + "".join(w[0] for w in words[1:-1]) + "o"
    if words and words[0] in {"vice"} and len(words) > 1 and words[1] == "president":
        words = ["vp", *words[2:]]
    return " ".join(words)


def title_fits(written: str, title: str | None) -> bool:
    """Whether a title written beside a name ("(CIO)", "(legal)") is ``title`` or words of it."""
    said, own = title_key(clean_title(written)), title_key(title or "")
    return bool(said and own) and (said == own or set(said.split()) <= set(own.split()))


def clean_title(phrase: str) -> str:
    """A title as written, without a leading article or "new" and trailing punctuation."""
    text = phrase.strip(" ,.;:()")
    text = re.sub(r"^(?:(?:the|their|our|a|an|its)\s+)?(?:new\s+)?", "", text, flags=re.I)
    return text.strip()
