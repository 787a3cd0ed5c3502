"""The REST client against a local server serving real candles as Binance kline pages."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.sources.binance_rest import (
    BinanceRest,
    BinanceRestError,
    BinanceUnreachable,
    IpBanned,
    find_gaps,
    write_exchange_info,
)
from sim.domain.errors import SimError
from sim.domain.instruments import Instruments
from sim.market import Candle, ms_to_datetime
from tests.pipeline.fixtures import REST, load, sample_rows
from tests.pipeline.rest_server import FakeBinance, Scripted, kline_row, serving

HOUR = timedelta(hours=1)
NOW = 1_764_000_000.25  # 2025-11-24 16:00:00.25 UTC: every sample candle is long closed
ROWS = sample_rows("BTCUSDT", 250)


@pytest.fixture
def fake() -> FakeBinance:
    return FakeBinance(klines=[kline_row(r) for r in ROWS])


@pytest.fixture
def base_url(fake: FakeBinance) -> Iterator[str]:
    with serving(fake) as url:
        yield url


class Recorder:
    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.pages: list[list[Candle]] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def sink(self, page: Sequence[Candle]) -> None:
        self.pages.append(list(page))

    @property
    def candles(self) -> list[Candle]:
        return [c for page in self.pages for c in page]


def client(url: str, rec: Recorder, **kwargs: object) -> BinanceRest:
    return BinanceRest(base_url=url, sleep=rec.sleep, clock=lambda: NOW, page_limit=100, timeout=5, **kwargs)  # type: ignore[arg-type]


def expected(rows: list[list[str]]) -> list[Candle]:
    return [
        Candle(
            "BTCUSDT",
            "1h",
            ms_to_datetime(int(r[0])),
            Decimal(r[1]),
            Decimal(r[2]),
            Decimal(r[3]),
            Decimal(r[4]),
            Decimal(r[5]),
            closed=True,
            trades=0,
        )
        for r in rows
    ]


def t(row: list[str]) -> datetime:
    return ms_to_datetime(int(row[0]))


def test_backfill_pages_through_the_range(fake: FakeBinance, base_url: str) -> None:
    rec = Recorder()
    count = client(base_url, rec).backfill("BTCUSDT", "1h", t(ROWS[0]), t(ROWS[-1]), rec.sink)
    assert count == 250
    assert rec.candles == expected(ROWS)
    assert [len(p) for p in rec.pages] == [100, 100, 50]
    starts = [int(q["startTime"]) for path, q in fake.requests]
    assert starts == [int(ROWS[0][0]), int(ROWS[99][0]) + 1, int(ROWS[199][0]) + 1]
    assert all(q["limit"] == "100" and q["interval"] == "1h" for _, q in fake.requests)
    assert rec.sleeps == []


def test_backfill_resumes_where_the_store_ends(fake: FakeBinance, base_url: str) -> None:
    rec = Recorder()
    store_end = t(ROWS[119])
    count = client(base_url, rec).backfill(
        "BTCUSDT", "1h", t(ROWS[0]), t(ROWS[-1]), rec.sink, last_open_time=lambda: store_end
    )
    assert count == 130
    assert rec.candles == expected(ROWS[120:])
    assert int(fake.requests[0][1]["startTime"]) == int(ROWS[119][0]) + 1
    # an empty store (None) starts at the requested start
    rec2 = Recorder()
    client(base_url, rec2).backfill("BTCUSDT", "1h", t(ROWS[10]), t(ROWS[20]), rec2.sink, last_open_time=None)
    assert rec2.candles == expected(ROWS[10:21])


def test_the_forming_candle_is_not_stored(fake: FakeBinance, base_url: str) -> None:
    rec = Recorder()
    mid_candle = int(ROWS[149][0]) / 1000 + 1800  # half-way through candle 149
    api = BinanceRest(base_url=base_url, sleep=rec.sleep, clock=lambda: mid_candle, page_limit=100)
    count = api.backfill("BTCUSDT", "1h", t(ROWS[0]), t(ROWS[-1]), rec.sink)
    assert count == 149
    assert rec.candles[-1].open_time == t(ROWS[148])
    assert len(fake.requests) == 2  # stops at the open candle, no third page


def test_429_waits_retry_after_then_succeeds(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(429, {"Retry-After": "3"}, {"code": -1003, "msg": "Too many requests"})]
    rec = Recorder()
    count = client(base_url, rec).backfill("BTCUSDT", "1h", t(ROWS[0]), t(ROWS[49]), rec.sink)
    assert count == 50 and rec.candles == expected(ROWS[:50])
    assert rec.sleeps == [3.0]
    assert len(fake.requests) == 2


def test_slows_down_before_the_weight_limit(fake: FakeBinance, base_url: str) -> None:
    fake.used_weight = 5_500  # the next answer reports 5502: within the 600 margin of 6000
    rec = Recorder()
    api = client(base_url, rec)
    api.backfill("BTCUSDT", "1h", t(ROWS[0]), t(ROWS[49]), rec.sink)
    assert rec.sleeps == [pytest.approx(60.0 - (NOW % 60.0) + 0.5)]
    assert api.used_weight == 0
    fake.used_weight = 0
    rec2 = Recorder()
    relaxed = client(base_url, rec2, weight_margin=100)
    relaxed.backfill("BTCUSDT", "1h", t(ROWS[0]), t(ROWS[49]), rec2.sink)
    assert rec2.sleeps == [] and relaxed.used_weight == 2


def test_418_with_a_long_ban_stops_with_a_clear_error(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(418, {"Retry-After": "7200"}, {"code": -1003, "msg": "IP banned"})]
    rec = Recorder()
    with pytest.raises(IpBanned, match=r"banned this IP \(HTTP 418\) for 7200 s") as err:
        client(base_url, rec).backfill("BTCUSDT", "1h", t(ROWS[0]), t(ROWS[5]), rec.sink)
    assert err.value.status == 418
    assert rec.sleeps == [] and rec.candles == []


def test_418_with_a_short_ban_waits(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(418, {"Retry-After": "2"}, {"code": -1003, "msg": "IP banned"})]
    rec = Recorder()
    count = client(base_url, rec).backfill("BTCUSDT", "1h", t(ROWS[0]), t(ROWS[5]), rec.sink)
    assert count == 6 and rec.sleeps == [2.0]


def test_5xx_is_retried_with_growing_backoff(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(502, body="bad gateway"), Scripted(503, body="unknown")]
    rec = Recorder()
    api = client(base_url, rec, backoff_base=1.0)
    assert api.backfill("BTCUSDT", "1h", t(ROWS[0]), t(ROWS[5]), rec.sink) == 6
    assert len(rec.sleeps) == 2
    assert 0.5 <= rec.sleeps[0] <= 1.0 and 1.0 <= rec.sleeps[1] <= 2.0


def test_persistent_5xx_gives_up(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(500, body="down")] * 10
    rec = Recorder()
    with pytest.raises(
        BinanceUnreachable, match="did not answer after 4 attempts; the last problem: HTTP 500"
    ) as err:
        client(base_url, rec, max_retries=3).get("/api/v3/klines")
    assert len(rec.sleeps) == 3
    assert err.value.retryable and isinstance(err.value, SimError)


def test_other_4xx_is_not_retried(fake: FakeBinance, base_url: str) -> None:
    fake.script = [Scripted(400, body={"code": -1121, "msg": "Invalid symbol."})]
    rec = Recorder()
    with pytest.raises(BinanceRestError, match=r"HTTP 400: Binance error -1121: Invalid symbol\."):
        client(base_url, rec).backfill("NOPE", "1h", t(ROWS[0]), t(ROWS[5]), rec.sink)
    assert len(fake.requests) == 1 and rec.sleeps == []


def test_network_errors_are_retried_then_reported() -> None:
    with serving(FakeBinance()) as url:
        pass  # the port is closed again: connection refused
    rec = Recorder()
    with pytest.raises(BinanceRestError, match="network error"):
        client(url, rec, max_retries=2).get("/api/v3/klines")
    assert len(rec.sleeps) == 2


def test_find_gaps_on_the_real_candles() -> None:
    rows = sample_rows("BTCUSDT", 2400)  # 2020-09-20 .. 2020-12-29, with the 2020-12-21 outage
    times = [t(r) for r in rows]
    gaps = find_gaps(times, "1h")
    assert gaps, "the real file has an outage in this range"
    for first, last in gaps:
        assert first <= last and first not in times and last not in times
        assert first - HOUR in times and last + HOUR in times
    assert any(first.date() == datetime(2020, 12, 21).date() for first, _ in gaps)
    # expected count: every hour in the range is either present or inside a gap
    span = (times[-1] - times[0]) // HOUR + 1
    missing = sum((last - first) // HOUR + 1 for first, last in gaps)
    assert span == len(times) + missing


def test_find_gaps_with_a_range_and_duplicates() -> None:
    h = [datetime(2024, 1, 1, tzinfo=UTC) + i * HOUR for i in range(10)]
    have = [h[3], h[2], h[2], h[5], h[6]]
    assert find_gaps(have, "1h") == [(h[4], h[4])]
    assert find_gaps(have, "1h", start=h[0], end=h[9]) == [(h[0], h[1]), (h[4], h[4]), (h[7], h[9])]
    assert find_gaps([], "1h", start=h[0], end=h[9]) == [(h[0], h[9])]
    assert find_gaps([], "1h") == []


def test_fill_gaps_fetches_only_the_holes_and_invents_nothing(fake: FakeBinance, base_url: str) -> None:
    rows = sample_rows("BTCUSDT", 2400)
    fake.klines = [kline_row(r) for r in rows]  # what Binance has: real outages included
    stored = rows[:1000] + rows[1040:1500] + rows[1510:]  # our store lost two stretches
    store_times = [t(r) for r in stored]
    holes = find_gaps(store_times, "1h")
    rec = Recorder()
    filled = client(base_url, rec).fill_gaps("BTCUSDT", "1h", holes, rec.sink)
    assert filled == 50
    got = sorted(c.open_time for c in rec.candles)
    assert got == [t(r) for r in rows[1000:1040] + rows[1500:1510]]
    # after the fill only Binance's own outages remain
    after = find_gaps(store_times + got, "1h")
    assert after == find_gaps([t(r) for r in rows], "1h")


def test_exchange_info_refresh_writes_the_project_format(
    fake: FakeBinance, base_url: str, tmp_path: Path
) -> None:
    fake.exchange_info = load(REST / "http_spot_market_exchange_info.json")  # 2021, MIN_NOTIONAL
    target = tmp_path / "exchange_info.json"
    rec = Recorder()
    client(base_url, rec).refresh_exchange_info(target, ["BTCUSDT"])
    path, query = fake.requests[-1]
    assert path == "/api/v3/exchangeInfo" and json.loads(query["symbols"]) == ["BTCUSDT"]
    doc = json.loads(target.read_text())
    assert list(doc) == ["timezone", "rateLimits", "exchangeFilters", "symbols"]
    assert [s["symbol"] for s in doc["symbols"]] == ["BTCUSDT"]
    assert target.read_text().endswith("}\n")
    btc = Instruments.from_exchange_info(doc)["BTCUSDT"]
    assert btc.tick_size == Decimal("0.01") and btc.min_notional == Decimal("10")
    # the project's own file round-trips through the writer unchanged in content
    project = Path(__file__).resolve().parents[2] / "data" / "exchange_info.json"
    info = json.loads(project.read_text())
    symbols = [s["symbol"] for s in info["symbols"]]
    copy = write_exchange_info(info, tmp_path / "copy.json", symbols)
    assert json.loads(copy.read_text()) == info


def test_exchange_info_missing_symbol_keeps_the_old_file(
    fake: FakeBinance, base_url: str, tmp_path: Path
) -> None:
    fake.exchange_info = load(REST / "http_spot_market_exchange_info.json")
    target = tmp_path / "exchange_info.json"
    target.write_text("old")
    with pytest.raises(BinanceRestError, match="no rules for SOLUSDT"):
        client(base_url, Recorder()).refresh_exchange_info(target, ["BTCUSDT", "SOLUSDT"])
    assert target.read_text() == "old"
