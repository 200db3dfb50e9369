"""Which tool a request wants: high-precision word rules first, then labelled exemplars ranked by
embedding similarity (WordLlama, offline), the two combined into one score per tool.

Account names are masked before a request reaches here ("score the account"), so the exemplars are
written without names. Requests that are not about key account management have their own exemplars
(label ``OTHER``): when one of those is the nearest and no rule fired, the planner says what it can do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

OTHER = "_other"  # the label of requests outside the product; never a tool
RULE_WEIGHT = 3.0
SIMILARITY_WEIGHT = 2.0

# Each rule: (tool, pattern, weight). Several may fire; weights add up per tool.
_RULES: list[tuple[str, re.Pattern[str], float]] = [
    ("prep_qbr", re.compile(r"\b(qbrs?|q\.b\.r|quarterly (business )?reviews?|business reviews?|review prep|"
                            r"exec(utive)? (review|brief)|brief(ing)? (me|for)|(prep|prepare) (me )?for (the|my|our) "
                            r"(review|meeting with)|ebr|annual review)\b"), RULE_WEIGHT),
    ("prep_qbr", re.compile(r"\b(prep|prepare|get me ready|brief|briefing|talking points|agenda)\b"), 0.8),
    ("draft_plan", re.compile(r"\b(account plans?|acct plan|draft (a |an |the )?(new )?plan|plan for|"
                              r"write (up )?(a |an |the )?plan|strategic plan|white ?space|update the plan|new plan|"
                              r"plan (out|up)|(refresh|redo|rewrite|update) (the |our |my )?(\w+ )?plan)\b"),
     RULE_WEIGHT),
    ("flag_dark_stakeholders", re.compile(
        r"\b(gone dark|went dark|going dark|go dark|dark|gone quiet|went quiet|going quiet|quiet|silent|"
        r"ghost(ed|ing)?|not heard|haven't heard|haven't (we |i )?(talked|spoken|met|seen|touched)|"
        r"have(n't| not) (we |i )?(been in touch|reached)|unreached|never (met|spoken|talked|engaged|reached)|"
        r"cooling|cooled|gone cold|went cold|going cold|cold on us|single[- ]threaded|multi[- ]thread(ed)?|"
        r"lost touch|out of touch|disengag\w*|who (should|do) i re-?engage|re-?engage|sentiment (drops?|dips?)|"
        r"stakeholder (risk|flags?|health|coverage)|key (people|contacts|stakeholders)|who('s| is) (gone )?missing|"
        r"thin coverage)\b"), RULE_WEIGHT),
    ("show_matrix", re.compile(r"\b(matrix|quadrants|portfolio (view|map|overview)|segmentation|2x2|grid|"
                               r"where do (my|our|the) accounts (sit|land|fall)|plot|calibration|calibrated|"
                               r"scope inflation|inflat\w+ (their|his|her|the)? ?scores?|scores? inflation|"
                               r"how many (\w+ ){0,3}accounts)\b"), RULE_WEIGHT),
    ("score_account", re.compile(r"\b(score|scores|scoring|rescore|re-score|rate|rating|how attractive|"
                                 r"attractiveness|supplier strength|criteria|how strong are we|share of wallet|"
                                 r"relationship depth|gross margin|growth potential|strategic fit|"
                                 r"competitive position|propensity to partner)\b"), 2.0),
    ("assign_quadrant", re.compile(r"\b(quadrant|segment|which box|what box|classify|classification|tier|"
                                   r"coverage model|what coverage|how often should (i|we) (be )?(meet|meeting|run|see|"
                                   r"visit)|(develop|defend|strategic growth|maintain|exit)( account)? or "
                                   r"(a |an )?(develop|defend|strategic growth|maintain|exit))\b"), 2.2),
    ("find_drifting_accounts", re.compile(r"\b(drift|drifts|drifted|drifting|deteriorat\w*|declin\w*|"
                                          r"getting worse|going south|health (fell|dropped|drop|dip)|lost health|"
                                          r"worsening|going downhill|heading the wrong way|health trend)\b"),
     RULE_WEIGHT),
    # Verbs that say something is going wrong, without saying what: weaker than a named object.
    ("find_drifting_accounts", re.compile(r"\b(slipping|sliding|falling|at risk|trouble|red flags)\b"), 2.0),
    ("list_commitments", re.compile(r"\b(commitments?|committed|overdue|promised|promises|follow[- ]?ups?|to-?dos?|"
                                    r"action items?|owe|owed|due (this|next|soon|today|tomorrow|in)|deliverables?|"
                                    r"what's due|whats due|what is due|tasks?|coming due|past due|what's late|"
                                    r"i still have to|on my plate)\b"), RULE_WEIGHT),
    ("search_notes", re.compile(r"\b(what did .{1,40} (say|said|mention|tell|think|raise|want)|what has .{1,40} "
                                r"(said|mentioned|raised)|what have .{1,40} (said|mentioned|raised)|"
                                r"did .{1,40} (mention|say|bring up|raise|complain)|notes? (about|on|mentioning|where|"
                                r"that mention|from)|mention(ed|s)?|call notes|said about|talk(ed)? about|any notes|"
                                r"find (the )?notes?|search (the |my )?(call )?notes?|who (mentioned|raised|brought up|"
                                r"complained)|when did .{1,40} (say|mention|bring up|raise)|in (my|our|the) notes)\b"),
     RULE_WEIGHT),
    ("ask_guidance", re.compile(r"\b(how (should|do|can|would) (i|we)|what('s| is| are) (a |an |the )?(best|good)|"
                                r"best practices?|tips?|advice|guidance|what does .{1,30} mean|what is|what are|"
                                r"explain|why (should|do|does|is)|how to|playbook|framework|when should)\b"), 1.6),
]

# A question on method rather than on data: answered from the guidance corpus unless it names an account.
_METHOD = re.compile(
    r"^\W*(ok |so |and |hey )?(how (should|do|can|would|could) (i|we|you|one)\b|how to\b|what('s| is) the best way|"
    r"best way to|what('s| is) a good (way|cadence|rhythm|approach)|tips? (for|on)|any tips|advice (on|for)|"
    r"what does .{1,40} mean|what('s| is) the difference|why (does|do|is|are|should)|when (should|do) (i|we)|"
    r"what (should|does|do) (a|an|the|good|great) .{0,40}\b(contain|include|cover|look like|have)|explain\b|"
    r"what('s| is| are) (a |an )?(\w+ ){0,3}(mean|meaning|definition)|is it (ever )?(ok|wise|worth))",
    re.IGNORECASE,
)

# A rep's narrative of a meeting or call: to be logged, not answered.
_NOTE_START = re.compile(
    r"^\s*(log( a| this)?( note)?:?|note:|met|meeting with|had (a |an )?(call|meeting|lunch|coffee|demo|chat|qbr|"
    r"catch-up|session|workshop)|spoke|talked|just (met|spoke|talked|got off|had|finished|left|wrapped)|"
    r"lunch with|coffee with|call with|caught up|visited|demoed|presented|sat down with|quick update|update from|"
    r"dinner with|workshop with|jumped on|ran into|bumped into|heads up|fyi|got off|finished|wrapped up)\b",
    re.IGNORECASE,
)
_NOTE_SIGNS = re.compile(
    r"\b(i'll|i will|we'll|we will|she'll|he'll|they'll|promised|agreed to|agreed|will send|will share|"
    r"by (monday|tuesday|wednesday|thursday|friday|next week|end of|the end)|she's|he's|she was|he was|they were|"
    r"worried|happy|unhappy|upset|frustrated|excited|concerned|pushed back|left the company|new (cfo|cto|ceo|cio|vp)|"
    r"today|yesterday|this morning|this afternoon|last night|loved|positive|negative|angry|keen|asked (for|us))\b",
    re.IGNORECASE,
)

EXEMPLARS: dict[str, list[str]] = {
    "score_account": [
        "score the account", "what's the score for this account", "rescore the account",
        "how attractive is this customer", "give me the attractiveness and supplier strength",
        "rate the account on the criteria", "how does the account score", "run the scoring for them",
        "what are its axis scores", "show the scoring evidence for the account", "how strong is our position there",
        "recalculate the scores", "criteria values for this customer", "score breakdown please",
    ],
    "assign_quadrant": [
        "which quadrant is this account in", "what segment is the account", "assign a quadrant",
        "what coverage model applies", "is it a develop or a defend account", "classify the account",
        "did the quadrant change", "what box does this customer sit in", "which segment does it fall into",
        "is the account strategic growth", "put the account in the right quadrant",
        "how much coverage does this account get", "what category is this customer",
    ],
    "show_matrix": [
        "show my matrix", "show the KAM matrix for my team", "where do my accounts sit", "portfolio overview",
        "plot my accounts", "how many develop accounts do we have", "show the whole portfolio",
        "matrix for all accounts", "calibration by scorer", "which scorer is too generous",
        "who rates their accounts too high", "too many accounts marked strategic", "the portfolio grid",
        "break my book down by quadrant", "list my accounts by segment",
    ],
    "draft_plan": [
        "draft an account plan", "write the plan for this account", "I need an account plan",
        "create a strategic plan", "update the account plan", "white space for the account",
        "plan the next 90 days for the account", "build out the plan for the customer",
        "a new version of the plan", "where can we expand in this account", "opportunity map for the account",
        "write up our plan for them",
    ],
    "flag_dark_stakeholders": [
        "who's gone dark", "which stakeholders went quiet", "who haven't we talked to", "who is cooling off",
        "any stakeholders going dark", "who did we never meet", "is the account single threaded",
        "which contacts have we lost touch with", "who should I re-engage", "are we relying on one contact",
        "which executives have we not seen lately", "whose sentiment dropped", "who stopped replying",
        "relationship gaps at the account", "anyone we should call soon",
    ],
    "prep_qbr": [
        "prep my QBR", "prepare the quarterly business review", "get me ready for the review",
        "QBR brief", "build the QBR deck notes", "what should I cover in the QBR", "prep for the exec review",
        "agenda for the business review with the customer", "I'm seeing their leadership next week, brief me",
        "talking points for the quarterly meeting", "review pack for the account",
    ],
    "find_drifting_accounts": [
        "which accounts are drifting", "which of my team's accounts are slipping", "accounts at risk",
        "where is health falling", "show declining accounts", "any accounts getting worse",
        "which accounts need attention", "what's going south", "which customers are in trouble",
        "has anything fallen off recently", "where did health drop", "accounts losing ground",
        "which relationships are deteriorating", "any early warning signs in my book",
    ],
    "list_commitments": [
        "what's overdue", "my commitments", "what did we promise", "what's due this week", "open follow-ups",
        "list my action items", "what do I owe customers", "overdue commitments for my team",
        "anything due soon", "what have I not delivered yet", "which promises are late",
        "what's on my plate for customers", "deliverables due in the next few days", "what do we still owe them",
        "outstanding tasks for my accounts",
    ],
    "search_notes": [
        "what did Dana say about pricing", "find notes mentioning the competitor", "what did they say about budget",
        "search notes for renewal", "who mentioned integration problems", "any notes about headcount",
        "what was said in the last call", "did anyone bring up the price increase",
        "has the CFO raised concerns about cost", "look through my call notes for security",
        "which meetings discussed the rollout", "find the conversation about the contract",
        "what feedback have we heard on support",
    ],
    "ask_guidance": [
        "how should I run a develop account", "what is margin leakage", "how do I multi-thread an account",
        "best practice for a QBR", "how to re-engage a champion who went quiet", "what goes in an account plan",
        "why does scope inflation matter", "what's a good coverage model", "explain share of wallet",
        "tips for executive sponsorship", "how do we decide which accounts are key",
        "what makes a good champion", "how do I deal with a difficult procurement team",
        "what is a white space analysis", "how should a manager review account plans",
        "when is it time to move an account to maintain", "what does supplier strength measure",
    ],
    "log_note": [
        "met Dana today she's worried about budget, I'll send the ROI deck by Friday",
        "had a call with the CTO, he's happy with the rollout", "log a note: lunch with procurement",
        "spoke to their VP of ops yesterday, they want a proposal next week",
        "just got off a call with the champion, she left the company",
        "quick catch-up with their finance lead this morning; she wants the invoice fixed, I'll sort it by Monday",
        "the new head of IT joined the call and was sceptical about the migration",
    ],
    OTHER: [
        "tell me a joke", "what time is it in Tokyo", "play some music", "how tall is Mount Everest",
        "send an email to my wife", "what's the stock price of Apple", "write some python code",
        "what is 17 times 23", "good morning", "thank you", "who are you", "set an alarm for 7",
        "change my password", "book a meeting room", "what's the forecast for the weekend",
        "recommend a restaurant nearby", "who is the president", "order a taxi to the airport",
        "summarise the news today", "compose a poem",
    ],
}


@dataclass(frozen=True)
class IntentScores:
    scores: dict[str, float]
    rules: dict[str, float] = field(default_factory=dict)
    similarity: dict[str, float] = field(default_factory=dict)
    method_question: bool = False

    def best(self) -> tuple[str | None, float, float]:
        """(tool, its score, the runner-up's score)."""
        ranked = sorted(self.scores.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked:
            return None, 0.0, 0.0
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0], ranked[0][1], runner_up

    def ranked(self) -> list[str]:
        return [name for name, _ in sorted(self.scores.items(), key=lambda kv: kv[1], reverse=True)]


def looks_like_note(text: str) -> bool:
    """A narrative of a meeting to be logged, rather than a question."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return False
    if _NOTE_START.search(stripped):
        return len(stripped.split()) >= 5
    words = len(stripped.split())
    return words >= 12 and len(_NOTE_SIGNS.findall(stripped)) >= 2


def is_method_question(text: str) -> bool:
    """A question on how to run key accounts ("how should I...", "what does ... mean")."""
    return bool(_METHOD.search(text.strip()))


def rule_scores(text: str) -> dict[str, float]:
    low = text.lower()
    scores: dict[str, float] = {}
    for tool, pattern, weight in _RULES:
        if pattern.search(low):
            scores[tool] = scores.get(tool, 0.0) + weight
    return scores


class ExemplarIndex:
    """Exemplar sentences embedded once; a request's similarity to each tool's nearest exemplars."""

    def __init__(self, embed: object) -> None:
        self._embed = embed
        self._labels: list[str] = []
        texts: list[str] = []
        for tool, examples in EXEMPLARS.items():
            for example in examples:
                self._labels.append(tool)
                texts.append(example)
        self._matrix = self._vectors(texts)

    def _vectors(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self._embed(texts), dtype=np.float32)  # type: ignore[operator]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)

    def similarities(self, text: str) -> dict[str, float]:
        sims = self._matrix @ self._vectors([text])[0]
        best: dict[str, float] = {}
        for label, sim in zip(self._labels, sims, strict=True):
            best[label] = max(best.get(label, -1.0), float(sim))
        return best


@lru_cache(maxsize=1)
def default_exemplar_index() -> ExemplarIndex:
    from knowledge.embedder import WordLlamaEmbedder

    embedder = WordLlamaEmbedder()
    return ExemplarIndex(embedder.embed)


def classify(text: str, exemplars: ExemplarIndex | None = None) -> IntentScores:
    """Rule weights plus 2 x exemplar similarity, per tool; a logged note and a method question weigh more."""
    rules = rule_scores(text)
    scores = dict(rules)
    if looks_like_note(text):
        rules["log_note"] = rules.get("log_note", 0.0) + 4.0
        scores["log_note"] = scores.get("log_note", 0.0) + 4.0
    method = is_method_question(text)
    if method:
        rules["ask_guidance"] = rules.get("ask_guidance", 0.0) + RULE_WEIGHT
        scores["ask_guidance"] = scores.get("ask_guidance", 0.0) + RULE_WEIGHT
    similarity: dict[str, float] = {}
    if exemplars is not None:
        similarity = exemplars.similarities(text)
        for tool, sim in similarity.items():
            scores[tool] = scores.get(tool, 0.0) + SIMILARITY_WEIGHT * max(sim, 0.0)
    return IntentScores(scores, rules=rules, similarity=similarity, method_question=method)
