"""Rules for usernames and passwords (pure; hashing happens in ``sim.users``).

- Username: 3 to 32 characters, ASCII letters, digits, ``_``, ``.`` or ``-``, starting with a letter
  or digit. Stored and shown as plain text only, so ``<b>x</b>`` is refused rather than escaped.
  Usernames are case-insensitive: stored lower-case.
- Password: 8 to 72 bytes in UTF-8 (bcrypt reads at most 72 bytes; a longer one is refused rather
  than silently cut).
- Display name: up to 64 printable characters without ``<`` or ``>``.
"""

from __future__ import annotations

import re

from sim.domain.errors import InvalidInput

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")


def check_username(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput.of("user.name_not_text")
    name = value.strip().lower()
    if not 3 <= len(name) <= 32:
        raise InvalidInput.of("user.name_length")
    if not _USERNAME.match(name):
        raise InvalidInput.of("user.name_characters")
    return name


def check_password(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput.of("user.password_not_text")
    size = len(value.encode("utf-8"))
    if size < 8:
        raise InvalidInput.of("user.password_short")
    if size > 72:
        raise InvalidInput.of("user.password_long")
    return value


def check_display_name(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput.of("user.display_not_text")
    text = value.strip()
    if len(text) > 64:
        raise InvalidInput.of("user.display_long")
    if any(c in "<>" for c in text) or not text.isprintable():
        raise InvalidInput.of("user.display_characters")
    return text
