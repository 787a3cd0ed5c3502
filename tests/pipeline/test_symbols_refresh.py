"""``symbols refresh``: a recorded exchangeInfo universe (real format, symbols beyond the five,
one in BREAK, PEPE's filters) from a file or a local server, checked, diffed and written
atomically with the previous snapshot kept; every failure leaves the snapshot as it was."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.sources.binance_rest import BinanceRestError, BinanceUnreachable
from pipeline.symbols import store
from pipeline.symbols.diff import Change, diff_snapshots
from pipeline.symbols.refresh import fetch, read_file, refresh_snapshot, render
from pipeline.symbols.universe import build_snapshot
from sim.domain.errors import InvalidExchangeRules, SimError
from tests.pipeline.fixtures import REST, load
from tests.pipeline.rest_server import FakeBinance, Scripted, serving

ROOT = Path(__file__).resolve().parents[2]
UNIVERSE = REST / "exchange_info_universe.json"
SHIPPED = ROOT / "data" / "exchange_info.json"
FIVE = ["BNBUSDT", "BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"]


def universe() -> dict[str, Any]:
    return load(UNIVERSE)


def entry(info: dict[str, Any], symbol: str) -> dict[str, Any]:
    return next(e for e in info["symbols"] if e["symbol"] == symbol)


def set_field(e: dict[str, Any], filter_type: str, field: str, value: object) -> None:
    next(f for f in e["filters"] if f["filterType"] == filter_type)[field] = value


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    """A copy of the shipped five-symbol snapshot, as a fresh checkout has it."""
    path = tmp_path / "exchange_info.json"
    path.write_bytes(SHIPPED.read_bytes())
    return path


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_refresh_from_a_file_adds_the_new_symbols_and_keeps_the_previous_snapshot(snapshot: Path) -> None:
    before = snapshot.read_bytes()
    report = refresh_snapshot(read_file(UNIVERSE), snapshot, source=str(UNIVERSE))
    assert report.diff.added == ["ADAUSDT", "BCCUSDT", "DOGEUSDT", "PEPEUSDT"]
    assert report.diff.removed == [] and report.diff.changes == []
    assert report.written and report.previous == snapshot.with_name("exchange_info.previous.json")
    assert report.previous.read_bytes() == before
    written = json.loads(snapshot.read_text())
    symbols = [e["symbol"] for e in written["symbols"]]
    assert symbols == sorted([*FIVE, "ADAUSDT", "BCCUSDT", "DOGEUSDT", "PEPEUSDT"])  # ETHBTC: quoted in BTC
    assert entry(written, "PEPEUSDT") == entry(universe(), "PEPEUSDT")  # entries kept unedited
    assert list(written) == ["timezone", "serverTime", "rateLimits", "exchangeFilters", "symbols"]
    # no temporary file is left behind
    assert files(snapshot.parent) == ["exchange_info.json", "exchange_info.previous.json"]
    text = render(report, tracked=["BTCUSDT", "DOGEUSDT"])
    assert "Read exchangeInfo from" in text and "10 symbols, 9 kept." in text
    assert "Added (4): ADAUSDT, BCCUSDT (BREAK), DOGEUSDT, PEPEUSDT" in text
    assert "Removed (0): -" in text and "Changed (0): -" in text
    assert "Not trading (1): BCCUSDT (BREAK)" in text
    assert f"Wrote {snapshot} (9 symbols); the previous one is kept as {report.previous}." in text
    assert "Warning" not in text


def test_the_diff_lists_removed_symbols_and_filter_changes_old_to_new(snapshot: Path) -> None:
    refresh_snapshot(universe(), snapshot, source="first")
    first = snapshot.read_bytes()
    info = universe()
    info["symbols"] = [e for e in info["symbols"] if e["symbol"] != "ADAUSDT"]
    set_field(entry(info, "DOGEUSDT"), "LOT_SIZE", "maxQty", "9500000.00000000")
    set_field(entry(info, "DOGEUSDT"), "PRICE_FILTER", "tickSize", "0.00000100")
    set_field(entry(info, "PEPEUSDT"), "TRAILING_DELTA", "maxTrailingBelowDelta", 1500)
    entry(info, "SOLUSDT")["status"] = "HALT"
    report = refresh_snapshot(info, snapshot, source="second", keep=["BTCUSDT", "SOLUSDT", "ADAUSDT"])
    assert report.diff.added == [] and report.diff.removed == ["ADAUSDT"]
    assert report.diff.changes == [
        Change("DOGEUSDT", "PRICE_FILTER tickSize", "0.00001", "0.000001"),
        Change("DOGEUSDT", "LOT_SIZE maxQty", "9000000", "9500000"),
        Change("PEPEUSDT", "TRAILING_DELTA maxTrailingBelowDelta", "2000", "1500"),
        Change("SOLUSDT", "status", "TRADING", "HALT"),
    ]
    assert report.previous is not None and report.previous.read_bytes() == first
    text = render(report, tracked=["BTCUSDT", "SOLUSDT", "ADAUSDT"])
    assert "Removed (1): ADAUSDT" in text
    assert "  DOGEUSDT PRICE_FILTER tickSize: 0.00001 -> 0.000001" in text
    assert "  DOGEUSDT LOT_SIZE maxQty: 9000000 -> 9500000" in text
    assert "  SOLUSDT status: TRADING -> HALT" in text
    assert "Not trading (2): BCCUSDT (BREAK), SOLUSDT (HALT)" in text
    assert "Warning: SYMBOLS names SOLUSDT, which is not trading on Binance (status HALT)" in text
    assert "Warning: SYMBOLS names ADAUSDT, which the new snapshot does not list" in text


def test_numbers_are_compared_by_value_not_by_text() -> None:
    old = build_snapshot(universe())
    new = copy.deepcopy(old)
    set_field(entry(new, "PEPEUSDT"), "PRICE_FILTER", "tickSize", "0.00000001000")
    set_field(entry(new, "PEPEUSDT"), "TRAILING_DELTA", "minTrailingAboveDelta", "10")
    assert diff_snapshots(old, new).empty


def test_an_unchanged_answer_writes_nothing(snapshot: Path) -> None:
    refresh_snapshot(universe(), snapshot, source="first")
    previous = store.previous_path(snapshot)
    state = (snapshot.read_bytes(), snapshot.stat().st_mtime_ns, previous.read_bytes())
    info = universe()
    info["serverTime"] += 60_000  # a later answer, same rules
    report = refresh_snapshot(info, snapshot, source="again")
    assert report.diff.empty and not report.written and report.previous is None
    assert (snapshot.read_bytes(), snapshot.stat().st_mtime_ns, previous.read_bytes()) == state
    assert f"No changes: {snapshot} was left as it was (9 symbols)." in render(report)


def test_a_first_refresh_without_a_snapshot_writes_one(tmp_path: Path) -> None:
    path = tmp_path / "new" / "exchange_info.json"
    report = refresh_snapshot(universe(), path, source="file")
    assert report.written and report.previous is None and path.is_file()
    assert len(report.diff.added) == 9
    assert files(path.parent) == ["exchange_info.json"]


def test_quote_assets_and_tracked_symbols_choose_what_is_kept() -> None:
    assert "ETHBTC" not in {e["symbol"] for e in build_snapshot(universe())["symbols"]}
    kept = build_snapshot(universe(), keep=["ETHBTC"])
    assert "ETHBTC" in {e["symbol"] for e in kept["symbols"]}
    assert len(build_snapshot(universe(), quotes=None)["symbols"]) == 10
    with pytest.raises(InvalidExchangeRules, match="lists no symbol quoted in EUR"):
        build_snapshot(universe(), quotes={"EUR"})


def test_a_malformed_answer_is_refused_and_the_snapshot_is_untouched(snapshot: Path) -> None:
    refresh_snapshot(universe(), snapshot, source="first")
    state = (snapshot.read_bytes(), store.previous_path(snapshot).read_bytes())
    info = universe()
    set_field(entry(info, "PEPEUSDT"), "PRICE_FILTER", "tickSize", "0.00000000")
    set_field(entry(info, "DOGEUSDT"), "LOT_SIZE", "minQty", "10000000.00000000")
    info["symbols"].append(copy.deepcopy(entry(info, "BTCUSDT")))
    with pytest.raises(InvalidExchangeRules) as err:
        refresh_snapshot(info, snapshot, source="bad")
    message = str(err.value)
    assert message.startswith("exchangeInfo fails the checks for 3 symbol(s):")
    assert "DOGEUSDT: LOT_SIZE minQty 10000000 is above maxQty 9000000." in message
    assert "PEPEUSDT: PRICE_FILTER tickSize is 0" in message
    assert "BTCUSDT: listed twice." in message
    assert (snapshot.read_bytes(), store.previous_path(snapshot).read_bytes()) == state
    for bad in ({"code": -1003, "msg": "Too many requests"}, [], "text"):
        with pytest.raises(InvalidExchangeRules, match="not a GET /api/v3/exchangeInfo answer"):
            refresh_snapshot(bad, snapshot, source="bad")
    assert files(snapshot.parent) == ["exchange_info.json", "exchange_info.previous.json"]


def test_an_unreadable_file_is_a_clear_refusal(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"symbols": [')
    with pytest.raises(InvalidExchangeRules, match="broken.json is not a JSON document"):
        read_file(broken)
    with pytest.raises(InvalidExchangeRules, match="There is no file"):
        read_file(tmp_path / "missing.json")


def test_a_crash_while_replacing_leaves_the_old_snapshot_whole(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot.read_bytes()
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if Path(dst) == snapshot:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        refresh_snapshot(universe(), snapshot, source="file")
    assert snapshot.read_bytes() == before
    assert not [n for n in files(snapshot.parent) if n.endswith(".tmp")]


def test_the_snapshot_keeps_its_permissions(snapshot: Path) -> None:
    snapshot.chmod(0o640)
    refresh_snapshot(universe(), snapshot, source="file")
    assert snapshot.stat().st_mode & 0o777 == 0o640


# --- fetched from a local server -----------------------------------------------------------------


@pytest.fixture
def fake() -> FakeBinance:
    return FakeBinance(exchange_info=universe())


@pytest.fixture
def base_url(fake: FakeBinance) -> Iterator[str]:
    with serving(fake) as url:
        yield url


def test_fetch_from_the_rest_api(fake: FakeBinance, base_url: str, snapshot: Path) -> None:
    info = fetch(base_url, timeout=5, retries=0)
    assert fake.requests == [("/api/v3/exchangeInfo", {})]
    report = refresh_snapshot(info, snapshot, source=base_url)
    assert report.diff.added == ["ADAUSDT", "BCCUSDT", "DOGEUSDT", "PEPEUSDT"]


def test_a_server_error_is_retryable(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(503, body="maintenance")]
    expected = "did not answer after 1 attempt; the last problem: HTTP 503"
    with pytest.raises(BinanceUnreachable, match=expected) as e:
        fetch(base_url, timeout=5, retries=0)
    assert e.value.retryable and isinstance(e.value, SimError)


def test_a_timeout_is_retryable(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(200, body=universe(), delay=1.0)]
    with pytest.raises(BinanceUnreachable, match="network error") as e:
        fetch(base_url, timeout=0.2, retries=0)
    assert e.value.retryable


def test_a_body_that_is_not_json_is_a_clear_refusal(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(200, body=b"<html>captive portal</html>")]
    with pytest.raises(BinanceRestError, match=r"body that is not JSON: '<html>captive portal</html>'") as e:
        fetch(base_url, timeout=5, retries=0)
    assert not e.value.retryable


def test_a_refused_request_is_not_retried(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(404, body={"code": -1, "msg": "no such endpoint"})]
    with pytest.raises(BinanceRestError, match="HTTP 404: Binance error -1: no such endpoint") as e:
        fetch(base_url, timeout=5, retries=3)
    assert not e.value.retryable and len(fake.requests) == 1
