"""The login cookie key: where it comes from and which keys are refused (no Streamlit needed).

The key signs the session cookie. It is read from ``AUTH_COOKIE_KEY`` (the environment, then
``.env``, through :func:`sim.settings.load_settings`), else from ``cookie_key`` under ``[auth]`` in
``.streamlit/secrets.toml``. Refused, with a message naming ``AUTH_COOKIE_KEY``:

- no key at all;
- a key that ships in this repository (``.env.example``, ``.streamlit/secrets.toml.example``, as
  they are now and as they were) or a library default such as ``some_key``;
- a key starting with ``change-me``/``replace-me`` (a placeholder someone forgot to replace);
- under 32 bytes;
- obviously low entropy: fewer than 12 different characters, one short piece repeated, or mostly
  steps of one character (``abcdef...``, ``0123...``).

A random ``secrets.token_urlsafe(48)`` (64 characters) passes every check.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_KEY_BYTES = 32
KNOWN_KEYS = {
    "some_key",
    "some_signature_key",
    "abcdef",
    "changeme",
    "change-me",
    "change-me-to-a-long-random-string-of-at-least-32-bytes",  # .env.example
    "replace-me-with-a-random-secret-of-at-least-32-bytes",  # .streamlit/secrets.toml.example
}
PLACEHOLDER = re.compile(r"^(change|replace)[-_ ]?me", re.IGNORECASE)
HOW = (
    "Set AUTH_COOKIE_KEY (in the environment or .env, or cookie_key under [auth] in "
    ".streamlit/secrets.toml) to a random secret of at least 32 bytes, e.g. "
    'python -c "import secrets; print(secrets.token_urlsafe(48))".'
)


class CookieKeyError(RuntimeError):
    """The cookie key is missing, published, a placeholder, too short or too guessable."""


def shipped_keys(root: Path = ROOT) -> set[str]:
    """The keys in the repository's example files (read now: they may have been edited)."""
    found = set(KNOWN_KEYS)
    env_example = root / ".env.example"
    if env_example.is_file():
        for line in env_example.read_text(encoding="utf-8").splitlines():
            name, sep, value = line.partition("=")
            if sep and name.strip() == "AUTH_COOKIE_KEY":
                found.add(value.strip().strip("\"'"))
    secrets_example = root / ".streamlit" / "secrets.toml.example"
    if secrets_example.is_file():
        try:
            data = tomllib.loads(secrets_example.read_text(encoding="utf-8"))
            found.add(str(data.get("auth", {}).get("cookie_key", "")).strip())
        except tomllib.TOMLDecodeError:
            pass
    found.discard("")
    return found


def _low_entropy(key: str) -> str | None:
    """Why ``key`` is obviously guessable, or None."""
    if len(set(key)) < 12:
        return f"it uses only {len(set(key))} different characters"
    for period in range(1, 17):
        if len(key) >= 2 * period and key == (key[:period] * (len(key) // period + 1))[: len(key)]:
            return f"it repeats {key[:period]!r}"
    steps = sum(abs(ord(b) - ord(a)) <= 1 for a, b in itertools.pairwise(key))
    if steps > (len(key) - 1) / 2:
        return "most of it is runs such as 'abcd' or '1234'"
    return None


def check_key(key: str | None, root: Path = ROOT) -> str:
    """``key`` stripped, or :class:`CookieKeyError` saying what is wrong and what to do."""
    key = (key or "").strip()
    if not key:
        raise CookieKeyError(f"AUTH_COOKIE_KEY is not set, so logins cannot be kept safe. {HOW}")
    if key in shipped_keys(root):
        raise CookieKeyError(
            f"AUTH_COOKIE_KEY is a published example or default ({key!r}): anyone could forge a "
            f"login with it. {HOW}"
        )
    if PLACEHOLDER.match(key):
        raise CookieKeyError(f"AUTH_COOKIE_KEY is still a placeholder ({key[:12]!r}...). {HOW}")
    size = len(key.encode("utf-8"))
    if size < MIN_KEY_BYTES:
        raise CookieKeyError(f"AUTH_COOKIE_KEY is only {size} bytes long; it needs {MIN_KEY_BYTES}. {HOW}")
    why = _low_entropy(key)
    if why:
        raise CookieKeyError(f"AUTH_COOKIE_KEY is too easy to guess: {why}. {HOW}")
    return key


def secrets_file_key(paths: tuple[Path, ...] | None = None) -> str | None:
    """``[auth] cookie_key`` from the first secrets.toml Streamlit would read, or None."""
    for path in paths or (
        Path.cwd() / ".streamlit" / "secrets.toml",
        Path.home() / ".streamlit" / "secrets.toml",
    ):
        if path.is_file():
            try:
                value = tomllib.loads(path.read_text(encoding="utf-8")).get("auth", {}).get("cookie_key")
            except tomllib.TOMLDecodeError as exc:
                raise CookieKeyError(
                    f"{path} is not valid TOML ({exc}); AUTH_COOKIE_KEY cannot be read."
                ) from None
            if value:
                return str(value)
    return None


def configured_key() -> str:
    """The key the app would use (environment, ``.env``, then secrets.toml), checked."""
    from sim.settings import load_settings

    return check_key(load_settings().auth_cookie_key or secrets_file_key())
