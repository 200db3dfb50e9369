"""A local mock of Slack's Web API for tests and benchmarks (see ``server.py``)."""

from evals.slack_mock.server import MockSlack, RecordedCall

__all__ = ["MockSlack", "RecordedCall"]
