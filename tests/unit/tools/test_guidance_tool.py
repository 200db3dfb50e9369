"""``ask_guidance``: cited answers from the real guidance corpus, the model hook, and bad input."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import chromadb
import pytest

from knowledge.corpus import load_guidance
from knowledge.embedder import WordLlamaEmbedder
from knowledge.index import Knowledge, _chroma_settings
from tools.context import ToolContext
from tools.errors import ToolError
from tools.guidance import GuidanceAnswer, ask_guidance, compose_answer, model_messages
from tools.registry import call_tool, get_tool


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    path = tmp_path_factory.mktemp("chroma")
    client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    k = Knowledge(client, WordLlamaEmbedder())
    k.ensure_guidance()
    return k


@pytest.fixture
def ctx(knowledge: Knowledge) -> ToolContext:
    # Guidance is the same for everyone: no store access is needed, only the index.
    return ToolContext(session=None, as_of=dt.date(2026, 4, 1), user=SimpleNamespace(id="u1"), knowledge=knowledge)  # type: ignore[arg-type]


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").replace("`", "").split())


def test_answer_cites_the_right_sections(ctx: ToolContext) -> None:
    answer = ask_guidance(ctx, question="How should I run a Develop account?")
    assert answer.method == "extractive"
    assert answer.passages[0].section_id == "develop-plays"
    titles = {s.id: s.title for s in load_guidance()}
    for p in answer.passages:  # every passage is a real section, with its real title
        assert titles[p.section_id] == p.title
    assert answer.sources[0] == f"[1] {titles['develop-plays']} (develop-plays)"
    assert answer.sentences and all(s.cites for s in answer.sentences)
    by_n = {p.n: p for p in answer.passages}
    for sentence in answer.sentences:  # extractive: each sentence is taken from the passage it cites
        assert all(c in by_n for c in sentence.cites)
        assert _plain(sentence.text) in _plain(by_n[sentence.cites[0]].text)
    assert re.search(r"\[1\]", answer.answer)
    md = answer.as_markdown()
    assert "**Sources**" in md and "develop-plays" in md


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("what counts as margin leakage?", "margin-leakage"),
        ("what are the five parts of an account plan?", "account-plan-parts"),
        ("one of my stakeholders has gone dark", "going-dark"),
    ],
)
def test_other_questions_find_their_section(ctx: ToolContext, question: str, section: str) -> None:
    answer = ask_guidance(ctx, question=question)
    assert section in [p.section_id for p in answer.passages[:2]]


def test_bad_inputs(ctx: ToolContext) -> None:
    empty = ask_guidance(ctx, question="  ")
    assert empty.method == "none" and "empty" in empty.answer and empty.passages == []

    huge = ask_guidance(ctx, question="how do I run a QBR? " + "padding " * 13_000)
    assert "only its first 2,000" in huge.notes[0] and huge.passages

    cjk = ask_guidance(ctx, question="如何管理关键客户？")
    assert isinstance(cjk, GuidanceAnswer) and cjk.answer  # no crash; an answer or a clear "not covered"

    off_topic = ask_guidance(ctx, question="how do I bake sourdough bread?")
    assert off_topic.method == "none" and "does not cover" in off_topic.answer

    clamped = ask_guidance(ctx, question="running a QBR", k=50)
    assert "outside 1-8" in clamped.notes[0] and len(clamped.passages) <= 8

    with pytest.raises(ToolError, match="bad arguments"):
        call_tool(ctx, "ask_guidance", {"question": "x", "k": "lots"})
    assert get_tool("ask_guidance").name == "ask_guidance"


def test_model_hook_words_the_answer_from_passages_only(ctx: ToolContext) -> None:
    seen: list[list[dict[str, str]]] = []

    def chat(messages: list[dict[str, str]]) -> str:
        seen.append(messages)
        return "Diagnose the weakest strength criterion first [1]. Then earn a contained win [1]."

    answer = compose_answer(ctx, question="How should I run a Develop account?", chat=chat)
    assert answer.method == "model"
    assert [s.cites for s in answer.sentences] == [[1], [1]]
    prompt = seen[0][1]["content"]
    assert "[1] " in prompt and "Question: How should I run a Develop account?" in prompt
    assert "ONLY the numbered passages" in seen[0][0]["content"]


@pytest.mark.parametrize("reply", ["Just do your best.", "Hire more reps [9].", ""])
def test_model_answers_without_valid_citations_fall_back(ctx: ToolContext, reply: str) -> None:
    answer = compose_answer(ctx, question="How should I run a Develop account?", chat=lambda _m: reply)
    assert answer.method == "extractive"
    assert "did not cite" in answer.notes[-1]


def test_model_messages_number_the_passages(ctx: ToolContext) -> None:
    answer = ask_guidance(ctx, question="running a QBR", k=2)
    messages = model_messages("running a QBR", answer.passages)
    assert messages[0]["role"] == "system" and "[2] " in messages[1]["content"]


def test_without_an_index_the_tool_says_so(ctx: ToolContext, tmp_path: Path) -> None:
    ctx = replace(ctx, knowledge=None)
    with pytest.raises(ToolError, match="kam reindex"):
        ask_guidance(ctx, question="how do I run a QBR?")
