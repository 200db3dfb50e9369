"""Questions on meaning and method rather than on data: "what is X", "what's a X anyway", "how does X work",
"what goes into a good X", "the difference between X and Y", "what makes someone a X", "how often are we
supposed to...", "in general", "what means X", "what is X made of", "is X different from Y", and questions about
an account of a kind rather than one ("... at a defend account", "... in a portfolio").

They are recognised by their grammar, not by the concept they ask about, so a question about any term of the
trade is caught, including one that uses a tool's word ("what goes into a good QBR?"). The router sends such a
question to the guidance when it names no account; one that names an account is about that account's data.
"""

from __future__ import annotations

import re

# Markers that make a question general or definitional wherever they appear.
_MARKERS = re.compile(
    r"\b(what does .{1,40} (mean|stand for|measure)|what('s|’s|s| is| are)( the)? (meaning|definition) of|define\b|"
    r"definition of|(what|how)('s|’s|s| is| are) the diff(erence)?|diff(erence)? between|how does .{1,40} work|"
    r"(asked|ask|wondering|know|knows|explain|tell \w+) what (an? |the )?[\w' -]{1,40} (means|stands for)"
    r"(?=\s*(?:[.,;!?]|and\b|$))|"
    r"(quick|short|simple|plain|one-line|one line) (definition|explanation)|in (plain|simple|layman'?s) "
    r"(words|english|terms|language)\b|"
    r"how do .{1,40} work|what (goes|should go|would go|needs to go|has to go) (in|into)|"
    r"what makes (someone|somebody|something|a|an|it|them|one)\b|"
    r"what counts as|what do (we|you|people) mean by|supposed to (mean|be)\b|meant to (mean|be)\b|"
    r"how often (am|are|is|should|do|must|ought|would) (we|i|you|one|a|an|reps?)\b|in general\b|generally speaking|"
    r"not for a (specific|particular) (customer|account|client)|as a rule\b|rule of thumb|"
    r"what (should|does|do|would) (a|an|the|good|great|strong) .{0,40}\b(contain|include|cover|look like|have)\b|"
    r"^\W*what (means|mean|is meant by)\b|what( is| are|'s|’s|s) .{1,40} made (of|up of)\b|"
    r"\b(is|are) (it|this|that|they|.{1,30}) (different|the same) (from|than|as)\b)",
    re.IGNORECASE,
)
# "what is X?" / "what's a X anyway?" / "what are X?": a short noun phrase and nothing after it.
_WHAT_IS = re.compile(
    r"^\W*(?:(?:ok|so|and|hey|quick one|sorry)\W+)*(?:what|wtf)(?:'s|’s| is| are| exactly is| is a| is an)\s+"
    r"(?P<phrase>[^?!.]{2,60}?)\s*(?:,?\s*(?:anyway|exactly|again|actually|even|then))?\s*[?!.]*\s*$",
    re.IGNORECASE,
)
# Words that make "what is X" a question about the user's data or the moment, not about a term: pronouns and
# possessives (whose data), prepositions (a term is a bare noun phrase: "the weather like in Paris" is not one),
# and the predicate words of a status question ("what's overdue", "what's due soon").
_NOT_A_TERM = re.compile(
    r"\b(my|mine|our|ours|your|their|his|her|its|me|us|them|i|we|you|they|it|this|that|these|those|here|there|"
    r"due|overdue|late|open|pending|outstanding|left|next|new|up|happening|going|on|today|tomorrow|now|"
    r"week|month|quarter|year|latest|status|like|in|at|for|with|from|by|about)\b",
    re.IGNORECASE,
)


# A question about any account of a kind, not about one ("a cadence for the CFO at a defend account", "a healthy
# share of strategic growth accounts in a portfolio"): an indefinite article on the account word, in a question.
_INDEFINITE = re.compile(
    r"\b(a|an|any|a typical|a good|a healthy|an average)\s+(?:[a-z-]+\s+){0,2}?"
    r"(account|accounts|accts?|customer|client|portfolio|book|kam)\b", re.IGNORECASE)
_QUESTION = re.compile(r"^\W*(what|what's|whats|how|when|which|why|should|is|are|do|does)\b|\?\s*$", re.IGNORECASE)
_WHOSE = re.compile(r"\b(my|our|mine|ours|team|team's|these|those|this|that|it|its|they|them|their|he|she|his|her)\b",
                    re.IGNORECASE)


def is_general_question(text: str) -> bool:
    """A question on what something means or how key account work is done in general."""
    stripped = text.strip()
    if _MARKERS.search(stripped):
        return True
    if _QUESTION.search(stripped) and _INDEFINITE.search(stripped) and not _WHOSE.search(stripped):
        return True
    match = _WHAT_IS.match(stripped)
    if match is None:
        return False
    phrase = match.group("phrase").strip()
    words = phrase.split()
    if not words or len(words) > 5 or _NOT_A_TERM.search(phrase):
        return False
    if len(words) == 1 and words[0].lower().endswith("ing"):
        return False  # "what's slipping": a participle says what is happening, not a term
    if re.match(r"(?i)(a|an)\b", phrase):
        return len(words) >= 2  # "what's a champion"
    return not re.match(r"(?i)the\b", phrase)  # "what is the matrix" may want the data; "the capital of X" is no term
