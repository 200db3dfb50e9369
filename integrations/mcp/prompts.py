"""Prompts for the common jobs (QBR prep, weekly pipeline review, log a meeting), from ``prompts.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import mcp_types as types

from tools.registry import all_tools

PROMPTS_FILE = Path(__file__).with_name("prompts.toml")


class PromptError(LookupError):
    """An unknown prompt or a missing required argument."""


@dataclass(frozen=True)
class _Prompt:
    prompt: types.Prompt
    text: str
    defaults: dict[str, str]


@lru_cache(maxsize=1)
def _prompts() -> dict[str, _Prompt]:
    data = tomllib.loads(PROMPTS_FILE.read_text(encoding="utf-8"))
    known = set(all_tools())
    out: dict[str, _Prompt] = {}
    for item in data["prompt"]:
        unknown = sorted(set(item["tools"]) - known)
        if unknown:
            raise ValueError(f"{PROMPTS_FILE.name}: prompt {item['name']!r} names unknown tools: {unknown}")
        arguments = [types.PromptArgument(name=a["name"], description=a["description"], required=a["required"])
                     for a in item.get("arguments", [])]
        prompt = types.Prompt(name=item["name"], title=item["title"], description=item["description"],
                              arguments=arguments)
        defaults = {a["name"]: a["default"] for a in item.get("arguments", []) if "default" in a}
        out[item["name"]] = _Prompt(prompt, item["text"], defaults)
    return out


def list_prompts() -> list[types.Prompt]:
    return [p.prompt for p in _prompts().values()]


def get_prompt(name: str, arguments: dict[str, Any] | None) -> types.GetPromptResult:
    """The prompt ``name`` filled with ``arguments``; ``PromptError`` for an unknown name or a missing argument."""
    found = _prompts().get(name)
    if found is None:
        raise PromptError(f"no prompt {name!r}; the prompts are: {', '.join(sorted(_prompts()))}")
    values: dict[str, str] = {}
    for arg in found.prompt.arguments or []:
        value = str((arguments or {}).get(arg.name) or "").strip() or found.defaults.get(arg.name, "")
        if not value:
            raise PromptError(f"prompt {name!r} needs the argument {arg.name!r} ({arg.description})")
        values[arg.name] = value
    text = found.text.format_map(values)
    return types.GetPromptResult(description=found.prompt.description,
                                 messages=[types.PromptMessage(role="user",
                                                               content=types.TextContent(type="text", text=text))])
