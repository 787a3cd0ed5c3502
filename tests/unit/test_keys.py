"""The cookie key: refused when shipped, a placeholder, short or guessable; read from ``.env`` too; and
``python -m ui.serve`` (``make run``, the container) exits before anything listens with a bad one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.settings import load_settings
from ui.keys import CookieKeyError, check_key, configured_key, shipped_keys
from ui.serve import streamlit_argv

ROOT = Path(__file__).resolve().parents[2]
GOOD = "Tq0bRk3Yw8Zs1XnVc6Lp2Jh5Gf9Dd4Sa7Mm-Nn_Bb3Vv"  # random, 44 bytes
EXAMPLE = "change-me-to-a-long-random-string-of-at-least-32-bytes"


def test_every_key_in_the_repository_examples_is_refused() -> None:
    shipped = shipped_keys(ROOT)
    assert EXAMPLE in shipped
    assert "replace-me-with-a-random-secret-of-at-least-32-bytes" in shipped
    for key in shipped:
        with pytest.raises(CookieKeyError, match="AUTH_COOKIE_KEY"):
            check_key(key, ROOT)


def test_an_edited_example_file_is_read_again(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text('AUTH_COOKIE_KEY="Qz7-new-example-key-Wx4Rt6Yu8Io0Pa2Sd5Fg"\n')
    with pytest.raises(CookieKeyError, match="published example"):
        check_key("Qz7-new-example-key-Wx4Rt6Yu8Io0Pa2Sd5Fg", tmp_path)


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("CHANGE-ME-" + GOOD, "placeholder"),
        ("replace_me" + GOOD, "placeholder"),
        (GOOD[:31], "only 31 bytes"),
        ("x" * 64, "only 1 different"),
        ("0123456789abcdefghij" * 2, "runs such as"),
        ("Kx9!pQ2@mZ7#" * 3, "repeats"),
        ("   ", "not set"),
        (None, "not set"),
    ],
)
def test_weak_keys_are_refused(key: str | None, why: str) -> None:
    with pytest.raises(CookieKeyError, match=why):
        check_key(key, ROOT)


def test_random_keys_pass() -> None:
    import secrets

    for _ in range(200):
        assert check_key(secrets.token_urlsafe(48), ROOT)
        assert check_key(secrets.token_hex(32), ROOT)
    assert check_key(f"  {GOOD} ", ROOT) == GOOD


def test_a_key_set_only_in_dotenv_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It used to be ignored ('No cookie key is configured'), although .env.example said it was read."""
    monkeypatch.delenv("AUTH_COOKIE_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"AUTH_COOKIE_KEY={GOOD}\nAPP_ADDRESS=0.0.0.0\n")
    assert configured_key() == GOOD
    assert load_settings().app_address == "0.0.0.0"
    monkeypatch.setenv("AUTH_COOKIE_KEY", EXAMPLE)  # the environment wins over .env
    with pytest.raises(CookieKeyError, match="published example"):
        configured_key()


def test_secrets_toml_is_the_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTH_COOKIE_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with pytest.raises(CookieKeyError, match="not set"):
        configured_key()
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'[auth]\ncookie_key = "{GOOD}"\n')
    assert configured_key() == GOOD


def test_the_app_binds_loopback_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_ADDRESS", raising=False)
    assert load_settings({}).app_address == "127.0.0.1"
    assert "--server.address=127.0.0.1" in streamlit_argv([], "127.0.0.1")
    given = streamlit_argv(["--server.address=0.0.0.0", "--server.port=8501"], "127.0.0.1")
    assert [a for a in given if a.startswith("--server.address")] == ["--server.address=0.0.0.0"]
    assert "python -m ui.serve" in (ROOT / "Makefile").read_text()
    assert 'CMD ["python", "-m", "ui.serve", "--server.address=0.0.0.0"' in (ROOT / "Dockerfile").read_text()


@pytest.mark.parametrize("key", [EXAMPLE, "short", ""])
def test_serve_refuses_to_start_with_a_bad_key(tmp_path: Path, key: str) -> None:
    """Exit status 2 and a message naming AUTH_COOKIE_KEY, before Streamlit is even imported."""
    env = {**os.environ, "AUTH_COOKIE_KEY": key, "HOME": str(tmp_path)}
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "ui.serve", "--server.port=1"],  # port 1: it must never get that far
        cwd=tmp_path,  # no .env and no .streamlit/secrets.toml here
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "The app will not start" in result.stderr and "AUTH_COOKIE_KEY" in result.stderr
    assert time.monotonic() - start < 30
