"""A person's language for the app's text, on SQLite and PostgreSQL: NULL until chosen, "en" or "ko"
once chosen (kept across reads), anything else refused with InvalidInput."""

from __future__ import annotations

import pytest

from sim.domain.errors import InvalidInput
from sim.services import Simulator
from tests.integration.conftest import Driver


def test_language_is_unset_then_chosen_and_kept(env: tuple[Simulator, Driver]) -> None:
    sim, _ = env
    sim.bcrypt_rounds = 4
    alice = sim.register("alice", "correct horse", "Alice")
    assert alice.language is None and sim.me(alice.id).language is None
    sim.set_preferences(alice.id, language="ko")
    assert sim.me(alice.id).language == "ko"
    assert sim.user_by_name("alice").language == "ko"  # type: ignore[union-attr]
    sim.set_preferences(alice.id, language=" EN ")
    assert sim.me(alice.id).language == "en"
    sim.set_preferences(alice.id, display_name="Al")  # other preferences leave it alone
    assert sim.me(alice.id).language == "en" and sim.me(alice.id).display_name == "Al"


@pytest.mark.parametrize("bad", ["fr", "", "korean", 1, ["ko"]])
def test_other_languages_are_refused(env: tuple[Simulator, Driver], bad: object) -> None:
    sim, _ = env
    sim.bcrypt_rounds = 4
    bob = sim.register("bob", "correct horse")
    with pytest.raises(InvalidInput, match="Language must be one of en, ko"):
        sim.set_preferences(bob.id, language=bad)
    assert sim.me(bob.id).language is None
