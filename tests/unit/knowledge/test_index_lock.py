"""The embedded index's owner lock: one process at a time, shared by the holders inside that process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from repo import ROOT

from knowledge.index_lock import IndexLock

_OTHER = """
import sys
from pathlib import Path
from knowledge.index_lock import IndexLock
print(IndexLock(Path(sys.argv[1])).try_acquire())
"""


def _other_process_gets_it(path: Path) -> bool:
    done = subprocess.run([sys.executable, "-c", _OTHER, str(path)], capture_output=True, text=True, check=True,
                          cwd=ROOT)
    return done.stdout.strip() == "True"


def test_one_process_owns_the_index_until_its_last_holder_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "index.lock"
    first, second = IndexLock(path), IndexLock(path)
    assert first.try_acquire() and second.try_acquire()  # two holders in this process share it
    assert first.holder() == second.holder() and first.holder() is not None
    assert not _other_process_gets_it(path)
    first.release()
    assert not _other_process_gets_it(path)  # the second holder still has it
    second.release()
    assert _other_process_gets_it(path)  # and the lock died with that process
    assert first.try_acquire()
    first.release()
