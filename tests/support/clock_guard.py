"""A guard for property tests: every loaded ``tools`` module sees a ``datetime`` whose clock raises."""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


class ClockReadError(AssertionError):
    """A tool read the wall clock instead of its context's ``as_of``."""


def _raise(*_a: Any, **_k: Any) -> Any:
    raise ClockReadError("a tool read the wall clock")


class _Date(dt.date):
    today = classmethod(_raise)  # type: ignore[assignment]


class _DateTime(dt.datetime):
    today = classmethod(_raise)  # type: ignore[assignment]
    now = classmethod(_raise)  # type: ignore[assignment]
    utcnow = classmethod(_raise)  # type: ignore[assignment]


@contextmanager
def no_wall_clock() -> Iterator[None]:
    """Swap ``datetime`` (the module, ``date`` and ``datetime``) in every loaded ``tools`` module."""
    fake = types.ModuleType("datetime")
    fake.__dict__.update({k: v for k, v in vars(dt).items() if not k.startswith("__")})
    fake.date, fake.datetime = _Date, _DateTime  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as mp:
        for name, module in list(sys.modules.items()):
            if not name.startswith("tools.") or module is None:
                continue
            for attr, value in list(vars(module).items()):
                if value is dt:
                    mp.setattr(module, attr, fake)
                elif value is dt.date:
                    mp.setattr(module, attr, _Date)
                elif value is dt.datetime:
                    mp.setattr(module, attr, _DateTime)
        yield
