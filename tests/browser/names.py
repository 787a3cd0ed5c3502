"""Fresh usernames for browser tests.

A browser test that fails is rerun (see conftest.py) against the same app and database, where the
first attempt's user already exists; a suffix per call keeps each attempt's registration new.
"""

from __future__ import annotations

import secrets


def fresh(name: str) -> str:
    """``name`` with a random suffix, still a valid username (lowercase, digits and ``-``)."""
    return f"{name}-{secrets.token_hex(3)}"
