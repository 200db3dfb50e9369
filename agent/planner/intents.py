"""Which tool a request wants: high-precision word rules first, then labelled exemplars ranked by
embedding similarity (WordLlama, offline), the two combined into one score per tool."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# Each rule: (tool, pattern, weight). Several may fire; weights add up per tool.
_RULES: list[tuple[str, re.Pattern[str], float]] = [
    ("prep_qbr", re.compile(r"\b(qbr|q\.b\.r|quarterly (business )?review|business review|review prep|exec brief|"
                            r"brief(ing)? (me|for)|prep (me )?for (the|my|our) (review|meeting with))\b"), 3.0),
    ("prep_qbr", re.compile(r"\b(prep|prepare|get me ready)\b"), 0.8),
    ("draft_plan", re.compile(r"\b(account plan|draft (a |an |the )?plan|plan for|write (a |an |the )?plan|"
                              r"strategic plan|white ?space|update the plan|new plan|plan (out|up))\b"), 3.0),
    ("flag_dark_stakeholders", re.compile(r"\b(gone dark|went dark|going dark|go dark|dark|gone quiet|went quiet|"
                                          r"quiet|silent|ghost(ed|ing)?|not heard|haven't heard|haven't talked|"
                                          r"unreached|never met|cooling|cooled|single[- ]threaded|multi[- ]thread|"
                                          r"lost touch|out of touch|disengaged|who (should|do) i re-?engage|"
                                          r"sentiment (drop|dip)|stakeholder (risk|flags|health))\b"), 3.0),
    ("show_matrix", re.compile(r"\b(matrix|quadrants|portfolio view|portfolio map|segmentation|2x2|"
                               r"where do my accounts (sit|land|fall)|plot|calibration|scope inflation)\b"), 3.0),
    ("score_account", re.compile(r"\b(score|scoring|rescore|re-score|rate|rating|how attractive|attractiveness|"
                                 r"supplier strength|criteria)\b"), 2.0),
    ("assign_quadrant", re.compile(r"\b(quadrant|segment|which box|classify|classification|tier|coverage model|"
                                   r"what coverage|how often should (i|we) (meet|run))\b"), 2.2),
    ("find_drifting_accounts", re.compile(r"\b(drift|drifting|slipping|sliding|deteriorat\w*|declin\w*|"
                                          r"getting worse|going south|at risk|health (fell|dropped|drop)|"
                                          r"red flags|trouble|worsening|falling)\b"), 3.0),
    ("list_commitments", re.compile(r"\b(commitments?|overdue|promised|promises|follow[- ]?ups?|to-?dos?|"
                                    r"action items?|owe|owed|due (this|next|soon|today|tomorrow)|deliverables?|"
                                    r"what's due|whats due|what is due|tasks?)\b"), 3.0),
    ("search_notes", re.compile(r"\b(what did .{1,40} (say|said|mention|tell|think|raise)|what has .{1,40} said|"
                                r"did .{1,40} (mention|say|bring up|raise)|notes? (about|on|mentioning)|"
                                r"mention(ed|s)?|call notes|said about|talk(ed)? about|any notes|"
                                r"find (the )?notes?|search (the )?notes?|who (mentioned|raised|brought up)|"
                                r"when did .{1,40} (say|mention))\b"), 3.0),
    ("ask_guidance", re.compile(r"\b(how (should|do|can|would) (i|we)|what('s| is| are) (a |an |the )?(best|good)|"
                                r"best practices?|tips?|advice|guidance|what does .{1,30} mean|what is|what are|"
                                r"explain|why (should|do|does|is)|how to|playbook|framework|when should)\b"), 1.6),
]

# A rep's narrative of a meeting or call: to be logged, not answered.
_NOTE_START = re.compile(
    r"^\s*(log( a| this)?( note)?:?|note:|met|meeting with|had (a |an )?(call|meeting|lunch|coffee|demo|chat|qbr)|"
    r"spoke|talked|just (met|spoke|talked|got off|had|finished)|lunch with|coffee with|call with|caught up|"
    r"visited|demoed|presented|sat down with|quick update|update from|dinner with|workshop with|jumped on)\b",
    re.IGNORECASE,
)
_NOTE_SIGNS = re.compile(
    r"\b(i'll|i will|we'll|we will|she'll|he'll|they'll|promised|agreed to|will send|by (monday|tuesday|wednesday|"
    r"thursday|friday|next week|end of)|she's|he's|she was|he was|they were|worried|happy|frustrated|excited|"
    r"concerned|pushed back|left the company|new (cfo|cto|ceo|vp)|today|yesterday)\b",
    re.IGNORECASE,
)

EXEMPLARS: dict[str, list[str]] = {
    "score_account": [
        "score Acme", "what's the score for this account", "rescore the account", "how attractive is this customer",
        "give me the attractiveness and supplier strength", "rate the account on the criteria",
        "how does the account score", "run the scoring for them",
    ],
    "assign_quadrant": [
        "which quadrant is this account in", "what segment is the account", "assign a quadrant",
        "what coverage model applies", "is it a develop or a defend account", "classify the account",
        "did the quadrant change", "what box does this customer sit in",
    ],
    "show_matrix": [
        "show my matrix", "show the KAM matrix for my team", "where do my accounts sit", "portfolio overview",
        "plot my accounts", "how many strategic growth accounts do we have", "show the whole portfolio",
        "matrix for all accounts", "calibration by scorer",
    ],
    "draft_plan": [
        "draft an account plan", "write the plan for this account", "I need an account plan",
        "create a strategic plan", "update the account plan", "white space for the account",
        "plan the next 90 days for the account",
    ],
    "flag_dark_stakeholders": [
        "who's gone dark", "which stakeholders went quiet", "who haven't we talked to", "who is cooling off",
        "any stakeholders going dark", "who did we never meet", "is the account single threaded",
        "which contacts have we lost touch with", "who should I re-engage",
    ],
    "prep_qbr": [
        "prep my QBR", "prepare the quarterly business review", "get me ready for the review",
        "QBR brief", "build the QBR deck notes", "what should I cover in the QBR", "prep for the exec review",
    ],
    "find_drifting_accounts": [
        "which accounts are drifting", "which of my team's accounts are slipping", "accounts at risk",
        "where is health falling", "show declining accounts", "any accounts getting worse",
        "which accounts need attention", "what's going south",
    ],
    "list_commitments": [
        "what's overdue", "my commitments", "what did we promise", "what's due this week", "open follow-ups",
        "list my action items", "what do I owe customers", "overdue commitments for my team",
        "anything due soon",
    ],
    "search_notes": [
        "what did Dana say about pricing", "find notes mentioning the competitor", "what did they say about budget",
        "search notes for renewal", "who mentioned integration problems", "any notes about headcount",
        "what was said in the last call", "did anyone bring up the price increase",
    ],
    "ask_guidance": [
        "how should I run a develop account", "what is margin leakage", "how do I multi-thread an account",
        "best practice for a QBR", "how to re-engage a champion who went quiet", "what goes in an account plan",
        "why does scope inflation matter", "what's a good coverage model", "explain share of wallet",
        "tips for executive sponsorship",
    ],
    "log_note": [
        "met Dana today she's worried about budget, I'll send the ROI deck by Friday",
        "had a call with the CTO, he's happy with the rollout", "log a note: lunch with procurement",
        "spoke to their VP of ops yesterday, they want a proposal next week",
        "just got off a call with the champion, she left the company",
    ],
}


@dataclass(frozen=True)
class IntentScores:
    scores: dict[str, float]

    def best(self) -> tuple[str | None, float, float]:
        """(tool, its score, the runner-up's score)."""
        ranked = sorted(self.scores.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked:
            return None, 0.0, 0.0
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0], ranked[0][1], runner_up


def looks_like_note(text: str) -> bool:
    """A narrative of a meeting to be logged, rather than a question."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return False
    if _NOTE_START.search(stripped):
        return True
    words = len(stripped.split())
    return words >= 14 and len(_NOTE_SIGNS.findall(stripped)) >= 2


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
    """Rule weights plus 2 x exemplar similarity, per tool."""
    scores = rule_scores(text)
    if looks_like_note(text):
        scores["log_note"] = scores.get("log_note", 0.0) + 4.0
    if exemplars is not None:
        for tool, sim in exemplars.similarities(text).items():
            scores[tool] = scores.get(tool, 0.0) + 2.0 * max(sim, 0.0)
    return IntentScores(scores)
