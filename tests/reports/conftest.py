"""Report tests: the app test environment (temp ledger and history, prices written by the test)
plus a temp ``REPORTS_DIR`` set before the runtime opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import env  # noqa: F401 - the fixture, used through `reports_env`


@pytest.fixture
def reports_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Any:
    monkeypatch.setenv("REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setenv("MODELS_DIR", str(Path(__file__).resolve().parents[2] / "models"))
    return request.getfixturevalue("env")
