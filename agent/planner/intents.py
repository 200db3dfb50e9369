"""Which tool a request wants: high-precision word rules first, then labelled exemplars ranked by
embedding similarity (WordLlama, offline), the two combined into one score per tool. The rules and exemplars
are each tool's ``PlannerHints`` (``tools.registry``), handed in as ``PlannerTools``.

Account names are masked before a request reaches here ("score the account"), so the exemplars are
written without names. Requests that are not about key account management have their own exemplars
(label ``OTHER``): when one of those is the nearest and no rule fired, the planner says what it can do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from agent.planner.questions import is_general_question
from tools.registry import PlannerHints, agent_tool_specs

OTHER = "_other"  # the label of requests outside the product; never a tool
RULE_WEIGHT = 3.0
NARRATIVE_WEIGHT = 4.0  # a narrative of a meeting: logged rather than answered
SIMILARITY_WEIGHT = 2.0
PlannerTools = Mapping[str, PlannerHints]  # tool name -> how the planner recognises it

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
# "note for X: ...", "recap re X - ...": a header naming what the note is about.
_NOTE_HEADER = re.compile(r"^\s*(quick )?(note|notes|log|update|recap|debrief|call notes?|meeting notes?) "
                          r"(for|on|re|from|about|with) [^:\n]{1,40}[:\-–—]\s", re.IGNORECASE)
# "Acme - call with Dana ...", "Bluewater -> call w/ Ian", "Westbrook: QBR done Thu", "Globex 📞 Erik": a note
# headed by the account and the meeting it records.
_ACCOUNT_HEAD = re.compile(
    r"^\s*[\w&'’.]+(?:\s+[\w&'’.]+){0,3}\s*(?:(?:[-–—:|/]|->|→|>>)\s*(?:(?:quick|intro|weekly|monthly|short|long)\s+)?"
    r"(?:(?:call|meeting|qbr|sync|catch-?up|lunch|visit|onsite|on-site|workshop|coffee)\s+(?:with\b|w/|w\s|done\b|"
    r"held\b|today\b|yesterday\b)|email\s+from\b)|📞)",
    re.IGNORECASE,
)
# A heading, then the meeting and who it was with: "Summit Energy: call with Felix Marshall, he's all in".
_MEETING_HEAD = re.compile(r"\s*[^:\n?]{2,40}?\s*(?::|\s[-–—|]|\s//)\s*(?:a\s+|the\s+|quick\s+|short\s+)?"
                           r"(?:call|meeting|lunch|coffee|dinner|sync|catch-?up|visit|workshop|demo|qbr|chat|onsite)\s+"
                           r"(?:w/|with)\s+\S", re.IGNORECASE)


def headed_by_meeting(text: str) -> bool:
    """Whether a message opens with its account (or a heading) and the meeting it records ("Acme - call with
    Dana", "Westbrook: QBR done Thu", "Globex 📞 Erik", "Summit Energy: call with Felix"): a note's opening."""
    return bool(_ACCOUNT_HEAD.search(text) or _MEETING_HEAD.match(text))


_NOTE_SIGNS = re.compile(
    r"\b(i'll|i will|we'll|we will|she'll|he'll|they'll|promised|agreed to|agreed|will send|will share|"
    r"by (monday|tuesday|wednesday|thursday|friday|next week|end of|the end)|she's|he's|she was|he was|they were|"
    r"worried|happy|unhappy|upset|frustrated|excited|concerned|pushed back|left the company|new (cfo|cto|ceo|cio|vp)|"
    r"today|yesterday|this morning|this afternoon|last night|loved|positive|negative|angry|keen|asked (for|us))\b",
    re.IGNORECASE,
)

# Requests outside the product: the nearest of these means "say what you can do". Each tool's own exemplars
# and word rules are declared with the tool (``PlannerHints`` in its ``@tool``).
OFF_TOPIC: tuple[str, ...] = (
    "tell me a joke", "what time is it in Tokyo", "play some music", "how tall is Mount Everest",
    "send an email to my wife", "what's the stock price of Apple", "write some python code",
    "what is 17 times 23", "good morning", "thank you", "who are you", "set an alarm for 7",
    "change my password", "book a meeting room", "what's the forecast for the weekend",
    "recommend a restaurant nearby", "who is the president", "order a taxi to the airport",
    "summarise the news today", "compose a poem",
)


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
    if _NOTE_START.search(stripped) or _NOTE_HEADER.search(stripped) or headed_by_meeting(stripped):
        return len(stripped.split()) >= 5
    words = len(stripped.split())
    return words >= 12 and len(_NOTE_SIGNS.findall(stripped)) >= 2


def is_method_question(text: str) -> bool:
    """A question on how to run key accounts ("how should I...", "what does ... mean")."""
    return bool(_METHOD.search(text.strip())) or is_general_question(text)


def rule_scores(text: str, tools: PlannerTools) -> dict[str, float]:
    low = text.lower()
    scores: dict[str, float] = {}
    for name, hints in tools.items():
        for pattern, weight in hints.rules:
            if _compiled(pattern).search(low):
                scores[name] = scores.get(name, 0.0) + weight
    return scores


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class ExemplarIndex:
    """Exemplar sentences embedded once; a request's similarity to each tool's nearest exemplars."""

    def __init__(self, embed: object, tools: PlannerTools | None = None) -> None:
        self._embed = embed
        self._labels: list[str] = []
        texts: list[str] = []
        labelled = {name: hints.exemplars for name, hints in (tools or planner_tools()).items()}
        for tool, examples in {**labelled, OTHER: OFF_TOPIC}.items():
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


def classify(text: str, exemplars: ExemplarIndex | None = None, tools: PlannerTools | None = None) -> IntentScores:
    """Rule weights plus 2 x exemplar similarity, per tool; a logged note and a method question weigh more."""
    tools = tools if tools is not None else planner_tools()
    rules = rule_scores(text, tools)
    scores = dict(rules)
    boosts = [(looks_like_note(text), NARRATIVE_WEIGHT, lambda h: h.narrative)]
    method = is_method_question(text)
    boosts.append((method, RULE_WEIGHT, lambda h: h.method))
    for applies, weight, wants in boosts:
        for name in (n for n, h in tools.items() if applies and wants(h)):
            rules[name] = rules.get(name, 0.0) + weight
            scores[name] = scores.get(name, 0.0) + weight
    similarity: dict[str, float] = {}
    if exemplars is not None:
        similarity = exemplars.similarities(text)
        for tool, sim in similarity.items():
            scores[tool] = scores.get(tool, 0.0) + SIMILARITY_WEIGHT * max(sim, 0.0)
    return IntentScores(scores, rules=rules, similarity=similarity, method_question=method)


def planner_tools() -> PlannerTools:
    """The agent's tools and their planner hints, from the catalogue."""
    return {spec.name: spec.planner for spec in agent_tool_specs()}
