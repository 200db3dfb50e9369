"""``kam eval``: run the agent eval (tool choice, arguments, grounding, note extraction) and print the figures."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from integrations.cli.app import app
from integrations.cli.common import fail


@app.command("eval")
def eval_command(
    split: Annotated[str, typer.Option("--split", help="Which requests: dev, test or all.")] = "all",
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a threshold is missed.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    max_requests: Annotated[int | None, typer.Option("--max", help="Run only the first N requests.")] = None,
    no_extraction: Annotated[bool, typer.Option("--no-extraction", help="Skip the note extraction eval.")] = False,
    blind: Annotated[bool, typer.Option("--blind", help="Score the blind set (evals/blind/) instead.")] = False,
    wild: Annotated[bool, typer.Option("--wild", help="Score the tuning set (evals/wild/) the same way.")] = False,
    set_name: Annotated[str | None, typer.Option(
        "--set", help="Score an independently written set by its folder under evals/ (wild2, blind2).")] = None,
) -> None:
    """Score the agent on evals/requests.jsonl over a fresh demo store, on the configured backend; with
    --blind, on the blind set of requests, notes and threads (evals/blind/), scored separately; with --wild, on
    the independently written tuning set (evals/wild/) in the same formats; with --set NAME, on evals/NAME/
    (the second tuning set wild2, the held-out blind2).

    The store is always a private demo store at the demo's fixed date; the model is the one configured
    (the offline planner unless KAM_LLM_BASE_URL is set).
    """
    from evals.fixtures import DemoUnavailable
    from evals.report import format_report
    from evals.runner import SPLITS, EvalDataError, run

    if blind or wild or set_name:
        from evals import blind_eval

        name = set_name or ("wild" if wild else "blind")
        directory = blind_eval.BLIND_DIR.with_name(name)
        if "/" in name or not (directory / "notes.jsonl").is_file():
            known = sorted(p.parent.name for p in blind_eval.BLIND_DIR.parent.glob("*/notes.jsonl"))
            fail(f"--set: no eval set {name!r} under evals/; the sets are: {', '.join(known)}", 2)
        figures = blind_eval.run(directory=directory)
        typer.echo(json.dumps(figures, indent=2, default=str) if as_json else blind_eval.format_report(figures))
        return

    if split not in (*SPLITS, "all"):
        fail(f"--split: {split!r} is not one of dev, test, all", 2)
    if max_requests is not None and max_requests < 1:
        fail("--max: give a positive number of requests", 2)
    try:
        result = run(split, max_requests, extraction=not no_extraction)
    except (EvalDataError, DemoUnavailable) as exc:
        fail(f"eval: {exc}")
    typer.echo(json.dumps(result, indent=2, default=str) if as_json else format_report(result))
    if check and result["misses"]:
        raise typer.Exit(1)
