"""Where the repository is, for tests that read its files or start a child process from it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
