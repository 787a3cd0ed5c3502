"""Reuse the app tests' fixture: a temp ledger and history, no embedded feed, prices set by the test."""

from tests.app.conftest import env  # noqa: F401
