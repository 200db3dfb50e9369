"""The eval report in words: the scores against their thresholds, the failures, the extraction figures."""

from __future__ import annotations

import json
from typing import Any

# -- the report -----------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:5.1f}%"


def format_report(result: dict[str, Any]) -> str:
    """The figures as a plain-text table, then the failures."""
    lines = [
        f"kam eval: {result['requests']} requests (split {result['split']}) on {result['backend']}, "
        f"as of {result['as_of']}",
        "",
        f"{'expected tool':<24} {'n':>4} {'tool':>7} {'args':>7}",
    ]
    for name, row in result["per_tool"].items():
        lines.append(f"{name:<24} {row['n']:>4} {_pct(row['tool_accuracy']):>7} {_pct(row['argument_accuracy']):>7}")
    lines.append(f"{'all':<24} {result['requests']:>4} {_pct(result['tool_accuracy']):>7} "
                 f"{_pct(result['argument_accuracy']):>7}")
    for name, part in result.get("splits", {}).items():
        lines.append(f"{'  split ' + name:<24} {part['requests']:>4} {_pct(part['tool_accuracy']):>7} "
                     f"{_pct(part['argument_accuracy']):>7}")
    lines += [
        "",
        f"model calls per turn: {result['model_calls_per_turn']}   tokens per turn: {result['tokens_per_turn']}   "
        f"seconds per turn: {result['seconds_per_turn']}",
        f"ungrounded replies: {result['ungrounded_replies']}"
        + "".join(f"\n  {u['id']}: {', '.join(u['numbers'])}" for u in result["ungrounded"]),
    ]
    lines += _extraction_lines(result.get("extraction") or {})
    if result["failures"]:
        lines += ["", f"failures ({len(result['failures'])}):"]
        for f in result["failures"]:
            thread = f" [thread {f['thread']}]" if f["thread"] else ""
            lines.append(f"- {f['id']} ({f['split']}){thread}: {f['message']!r}")
            lines.append(f"    expected {f['expected_tool']} {json.dumps(f['expected_args'])}; "
                         f"got {f['tool']} {json.dumps(f['args'], default=str)}")
            lines.append(f"    {'; '.join(f['problems'])}")
    limits = result["thresholds"]
    lines += ["", f"thresholds: tool {limits['tool_accuracy']}, args {limits['argument_accuracy']}, "
                  f"extraction F1 {limits['extraction_f1']}: "
                  + ("met" if not result["misses"] else "MISSED: " + "; ".join(result["misses"])),
              f"({result['seconds']} s)"]
    return "\n".join(lines)


def _extraction_lines(extraction: dict[str, Any]) -> list[str]:
    if "not_run" in extraction:
        return ["note extraction: not run"]
    if "skipped" in extraction:
        return [f"note extraction: skipped: {extraction['skipped']}"]
    cases, extractor = extraction.get("cases", "?"), extraction.get("extractor", "?")
    lines = ["", f"note extraction ({cases} notes, extractor {extractor}):",
             f"{'item':<24} {'precision':>9} {'recall':>7} {'f1':>7}"]
    rows = dict(extraction.get("per_type") or {})
    rows["overall"] = extraction
    for name, row in rows.items():
        if isinstance(row, dict) and "f1" in row:
            lines.append(f"{name:<24} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>7.3f}")
    return lines
