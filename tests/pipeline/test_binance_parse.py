"""Every relevant real Binance payload file parses into the right message with exact values."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pipeline.sources.binance_parse import (
    parse_rest_book_ticker,
    parse_rest_depth,
    parse_rest_klines,
    parse_rest_ticker_24hr,
    parse_rest_trades,
    parse_ws,
)
from sim.market import (
    BookTop,
    Candle,
    DepthSnapshot,
    MalformedMessage,
    MiniTicker,
    Trade,
    decode,
    encode,
    ms_to_datetime,
)
from tests.pipeline.fixtures import REST, WS, docs, lines, load


def ms(value: int) -> datetime:
    return ms_to_datetime(value)


def test_ws_trade_in_the_combined_envelope() -> None:
    msg = parse_ws((WS / "ws_trade.json").read_bytes())
    assert msg == Trade(
        "BTCUSDT", 5455447976, Decimal("102571.17"), Decimal("0.001"), ms(1762578805372), True
    )
    assert str(msg.price) == "102571.17000000"  # the scale Binance wrote is kept


def test_ws_trade_older_capture_with_buyer_and_seller_ids() -> None:
    msg = parse_ws(load(WS / "ws_spot_trade.json"))
    assert msg == Trade("ETHUSDT", 705291099, Decimal("4149.74"), Decimal("0.4387"), ms(1639351062243), True)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "ws_aggTrade.json",
            Trade(
                "BTCUSDT",
                3735249564,
                Decimal("102571.18"),
                Decimal("0.00097"),
                ms(1762578805656),
                False,
            ),
        ),
        (
            "ws_spot_agg_trade.json",
            Trade("ETHUSDT", 226532, Decimal("1632.46"), Decimal("0.34305"), ms(1675759520847), False),
        ),
    ],
)
def test_ws_agg_trade_uses_the_aggregate_id_and_trade_time(name: str, expected: Trade) -> None:
    assert parse_ws(load(WS / name)) == expected


def test_raw_form_equals_the_enveloped_form() -> None:
    wrapped = load(WS / "ws_trade.json")
    assert parse_ws(wrapped["data"]) == parse_ws(wrapped)
    assert parse_ws(json.dumps(wrapped["data"])) == parse_ws(wrapped)


def test_ws_mini_ticker() -> None:
    msg = parse_ws(load(WS / "ws_miniTicker.json"))
    assert msg == MiniTicker(
        "BTCUSDT",
        ms(1762578803031),
        open=Decimal("102339.76"),
        high=Decimal("104096.36"),
        low=Decimal("99260.86"),
        close=Decimal("102571.17"),
        volume=Decimal("30195.39867"),
        quote_volume=Decimal("3065280135.2811397"),
    )


def test_ws_book_ticker_with_and_without_time() -> None:
    with_time = parse_ws(load(WS / "ws_spot_ticker_book.json"))
    assert with_time == BookTop(
        "ETHUSDT",
        12711621188,
        Decimal("4507.24"),
        Decimal("2.3595"),
        Decimal("4507.25"),
        Decimal("2.8457"),
        ms(1646199228121),
    )
    mixed = [parse_ws(line) for line in lines(WS / "ws_btcusdt_bookTicker_depth_mixed.jsonl")]
    assert [type(m).__name__ for m in mixed] == ["BookTop", "NoneType", "BookTop"]
    first = mixed[0]
    assert isinstance(first, BookTop)
    assert first.time is None and first.update_id == 80630992451
    assert (first.bid_price, first.ask_price) == (Decimal("95794.61"), Decimal("95794.62"))


def test_ws_depth20_snapshot_takes_its_symbol_from_the_stream_name() -> None:
    raw = load(WS / "ws_bookDepthSnapshot.json")
    msg = parse_ws(raw)
    assert isinstance(msg, DepthSnapshot)
    assert msg.symbol == "BTCUSDT" and msg.last_update_id == 80089389252
    assert len(msg.bids) == len(raw["data"]["bids"]) and len(msg.asks) == len(raw["data"]["asks"])
    assert msg.bids[0] == (Decimal("102571.17"), Decimal("0.3898"))
    assert all(a[0] > b[0] for a, b in zip(msg.bids, msg.bids[1:], strict=False))
    with pytest.raises(MalformedMessage, match="no symbol"):
        parse_ws(raw["data"])


def test_ws_kline_capture_all_open_and_forming() -> None:
    msgs = [parse_ws(line) for line in lines(WS / "btcusdt_kline_5m_ws_capture.jsonl")]
    assert len(msgs) == 49
    assert all(isinstance(m, Candle) and not m.closed and m.interval == "5m" for m in msgs)
    first = msgs[0]
    assert first == Candle(
        "BTCUSDT",
        "5m",
        ms(1631637000000),
        Decimal("46692.06"),
        Decimal("46720.00"),
        Decimal("46658.01"),
        Decimal("46672.98"),
        Decimal("53.38997"),
        closed=False,
        trades=2196,
    )
    trades = [m.trades for m in msgs if isinstance(m, Candle) and m.trades is not None]
    assert trades == sorted(trades)  # one forming candle, its trade count only grows


def test_ws_kline_closed_flag() -> None:
    # No file in the data has "x": true (see tests/fixtures/binance/SOURCES.md): take the last
    # real capture line, which is consistent, and flip "x" here.
    last = json.loads(lines(WS / "btcusdt_kline_5m_ws_capture.jsonl")[-1])
    assert parse_ws(last).closed is False  # type: ignore[union-attr]
    last["k"]["x"] = True
    closed = parse_ws({"stream": "btcusdt@kline_5m", "data": last})
    assert isinstance(closed, Candle) and closed.closed is True
    k = last["k"]
    assert (closed.open, closed.high, closed.low, closed.close, closed.volume) == tuple(
        Decimal(k[f]) for f in "ohlcv"
    )
    assert closed.trades == k["n"]


def test_the_docs_kline_example_is_refused_because_its_made_up_open_is_below_its_low() -> None:
    # binance-spot-api-docs: o=0.0010, l=0.0015 (values made up, format authoritative).
    open_kline = docs("ws_kline")
    with pytest.raises(MalformedMessage, match=r"open 0\.0010 is outside \[low, high\]"):
        parse_ws(open_kline)
    fixed = json.loads(json.dumps(open_kline))
    fixed["k"]["l"] = "0.0010"
    msg = parse_ws(fixed)
    assert isinstance(msg, Candle) and msg.closed is False
    assert (msg.symbol, msg.interval, msg.open_time) == ("BNBBTC", "1m", ms(1672515780000))
    assert msg.trades == 100


def test_docs_examples_of_every_stream() -> None:
    assert parse_ws(docs("ws_trade")) == Trade(
        "BNBBTC", 12345, Decimal("0.001"), Decimal("100"), ms(1672515782136), True
    )
    assert isinstance(parse_ws(docs("ws_aggTrade")), Trade)
    assert isinstance(parse_ws(docs("ws_miniTicker")), MiniTicker)
    ticker = parse_ws(docs("ws_ticker"))  # the full 24hrTicker carries the mini fields too
    assert isinstance(ticker, MiniTicker) and ticker.quote_volume == Decimal("18")
    book = parse_ws(docs("ws_bookTicker"))
    assert isinstance(book, BookTop) and book.update_id == 400900217
    depth = parse_ws({"stream": "bnbbtc@depth5", "data": docs("ws_depth_partial")})
    assert depth == DepthSnapshot(
        "BNBBTC", 160, ((Decimal("0.0024"), Decimal("10")),), ((Decimal("0.0026"), Decimal(100)),)
    )
    # known Binance events this pipeline does not map are not errors
    assert parse_ws(docs("ws_depthUpdate")) is None
    assert parse_ws(docs("ws_avgPrice")) is None
    assert parse_ws(docs("ws_miniTicker_arr")) is None
    assert parse_ws({"result": None, "id": 1}) is None


def test_the_2019_recording_parses_line_by_line() -> None:
    msgs = [parse_ws(line) for line in lines(WS / "binance_spot_ws_messages_2019.jsonl")]
    kinds = [type(m).__name__ for m in msgs]
    assert kinds == ["Trade", "Trade", "BookTop", "MiniTicker"] + ["NoneType"] * 4
    first = msgs[0]
    assert first == Trade(
        "BNBBTC", 40756030, Decimal("0.0042699"), Decimal("33.82"), ms(1554076800940), False
    )


def test_every_parsed_payload_survives_the_bus() -> None:
    payloads = [load(p) for p in sorted(WS.glob("*.json"))]
    payloads += [line for p in sorted(WS.glob("*.jsonl")) for line in lines(p)]
    parsed = [m for m in (parse_ws(p) for p in payloads) if m is not None]
    assert len(parsed) >= 55
    for msg in parsed:
        assert decode(encode(msg)) == msg


def test_rest_klines() -> None:
    rows = load(REST / "http_spot_market_klines.json")
    candles = parse_rest_klines("BTCUSDT", "1m", rows)
    assert len(candles) == len(rows)
    assert candles[0] == Candle(
        "BTCUSDT",
        "1m",
        ms(1634943780000),
        Decimal("60685.22"),
        Decimal("60729.84"),
        Decimal("60670.90"),
        Decimal("60719.27"),
        Decimal("21.63272"),
        closed=True,
        trades=617,
    )
    # with "now" inside the last kline, that kline is still open
    last_close = rows[-1][6]
    now = ms(last_close - 30_000)
    flags = [c.closed for c in parse_rest_klines("BTCUSDT", "1m", rows, now=now)]
    assert flags == [True] * (len(rows) - 1) + [False]
    docs_rows = docs("rest_klines")
    assert parse_rest_klines("BNBBTC", "1w", docs_rows)[0].trades == 308


def test_rest_trades_historical_trades_and_agg_trades() -> None:
    trades = parse_rest_trades("BTCUSDT", load(REST / "http_spot_market_trades.json"))
    assert trades[0] == Trade(
        "BTCUSDT", 1111468873, Decimal("60650.00"), Decimal("0.02924"), ms(1634942949263), True
    )
    hist = parse_rest_trades("BTCUSDT", load(REST / "http_spot_market_historical_trades.json"))
    assert hist[0].trade_id == 1111471896 and hist[0].quantity == Decimal("0.00034")
    agg = parse_rest_trades("BTCUSDT", load(REST / "http_spot_market_agg_trades.json"))
    assert agg[0] == Trade(
        "BTCUSDT", 966492862, Decimal("60759.6"), Decimal("0.00841"), ms(1634944096633), False
    )
    assert parse_rest_trades("BNBBTC", docs("rest_trades"))[0].price == Decimal("4.000001")
    assert parse_rest_trades("BNBBTC", docs("rest_aggTrades"))[0].trade_id == 26129


def test_rest_book_ticker_depth_and_24hr_ticker() -> None:
    book = parse_rest_book_ticker(load(REST / "http_spot_market_book_ticker.json"))
    assert book == BookTop(
        "BTCUSDT",
        None,
        Decimal("60741.67"),
        Decimal("0.3658"),
        Decimal("60741.68"),
        Decimal("0.45178"),
    )
    depth = parse_rest_depth("btcusdt", load(REST / "http_spot_market_depth.json"))
    assert depth.symbol == "BTCUSDT" and depth.last_update_id == 14527958487
    assert depth.bids[0] == (Decimal("60650.00"), Decimal("0.00213"))
    assert depth.asks[0] == (Decimal("60650.01"), Decimal("0.61982"))
    assert parse_rest_depth("BNBBTC", docs("rest_depth")).asks[0][0] == Decimal("4.000002")
    ticker = parse_rest_ticker_24hr(docs("rest_ticker_24hr"))
    assert ticker.time == datetime(2017, 7, 12, 14, 31, 39, 40000, tzinfo=UTC)
    assert (ticker.open, ticker.close) == (Decimal("99"), Decimal("4.000002"))


def bad(data: dict[str, object], **changes: object) -> dict[str, object]:
    out = json.loads(json.dumps(data))
    target = out.get("data", out)
    for key, value in changes.items():
        if value is ...:
            del target[key]
        else:
            target[key] = value
    return out


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"p": ...}, "trade payload is missing field 'p'"),
        ({"p": 102571.17}, "field 'p' must be a decimal string, got float"),
        ({"p": "NaN"}, "must be a plain decimal number"),
        ({"p": "-1.0"}, "price must be greater than zero"),
        ({"p": "0.00000000"}, "price must be greater than zero"),
        ({"q": "-0.001"}, "quantity must not be negative"),
        ({"T": "1762578805372"}, "field 'T' must be an integer"),
        ({"m": 1}, "field 'm' must be true or false"),
    ],
)
def test_malformed_known_payloads_raise_with_a_reason(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        parse_ws(bad(load(WS / "ws_trade.json"), **changes))


def test_malformed_klines_and_text() -> None:
    kline = docs("ws_kline")
    broken = json.loads(json.dumps(kline))
    broken["k"]["l"] = "0.0010"
    broken["k"]["h"] = "0.0001"  # high below low
    with pytest.raises(MalformedMessage, match=r"high 0\.0001 is below low 0\.0010"):
        parse_ws(broken)
    with pytest.raises(MalformedMessage, match="12 columns, got 11"):
        parse_rest_klines("BTCUSDT", "1m", [load(REST / "http_spot_market_klines.json")[0][:11]])
    with pytest.raises(MalformedMessage, match="not valid JSON"):
        parse_ws(b'{"stream": "btcusdt@trade", "data": {')
    with pytest.raises(MalformedMessage, match="over the"):
        parse_ws(b" " * (2 * 1024 * 1024))
