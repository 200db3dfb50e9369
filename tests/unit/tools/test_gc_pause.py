"""``tools.gc_pause``: the collector is paused while any tool call runs and resumes after the last one."""

from __future__ import annotations

import gc
import threading

from tools.gc_pause import gc_paused


def test_nested_and_concurrent_calls_share_one_pause() -> None:
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other_call() -> None:
        with gc_paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other_call)
    with gc_paused():
        seen.append(gc.isenabled())
        worker.start()
        assert inside.wait(5)
        with gc_paused():
            seen.append(gc.isenabled())
    seen.append(gc.isenabled())  # the other call still runs: still paused
    release.set()
    worker.join(5)
    assert seen == [False, False, False]
    assert gc.isenabled()


def test_a_failing_call_resumes_the_collector() -> None:
    try:
        with gc_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_program_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
