"""The bus schema: what encode writes, what decode accepts, and every refusal with its reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.sources.binance_parse import parse_ws
from sim.market import (
    BookTop,
    Candle,
    DepthSnapshot,
    Gap,
    MalformedMessage,
    MiniTicker,
    Trade,
    codec,
    decode,
    encode,
    messages,
)
from sim.market.raw_trades import RawTrade, decode_batch
from tests.pipeline.fixtures import WS, load

T0 = datetime(2025, 11, 8, 5, 13, 25, 372000, tzinfo=UTC)


def real_trade() -> Trade:
    msg = parse_ws(load(WS / "ws_trade.json"))
    assert isinstance(msg, Trade)
    return msg


def candle_body(**changes: object) -> bytes:
    body: dict[str, object] = {
        "kind": "candle",
        "symbol": "BTCUSDT",
        "interval": "1h",
        "open_time": 1600560000000,
        "open": "11080.64",
        "high": "11080.64",
        "low": "11042.7",
        "close": "11056.0",
        "volume": "1168.906046",
        "closed": True,
        "trades": None,
    }
    body.update(changes)
    return json.dumps({k: v for k, v in body.items() if v is not ...}).encode()


def test_encode_is_compact_json_with_kind_strings_and_epoch_ms() -> None:
    data = encode(real_trade())
    assert data == (
        b'{"kind":"trade","symbol":"BTCUSDT","trade_id":5455447976,"price":"102571.17000000",'
        b'"quantity":"0.00100000","time":1762578805372,"is_buyer_maker":true}'
    )


def test_every_kind_round_trips_exactly() -> None:
    msgs = [
        real_trade(),
        parse_ws(load(WS / "ws_miniTicker.json")),
        parse_ws(load(WS / "ws_bookDepthSnapshot.json")),
        parse_ws(load(WS / "ws_spot_ticker_book.json")),
        Candle(
            "BTCUSDT",
            "1h",
            T0,
            Decimal("1"),
            Decimal("2"),
            Decimal("0.5"),
            Decimal("1.5"),
            Decimal("0"),
            closed=False,
            trades=None,
        ),
        BookTop("BTCUSDT", None, Decimal("1.00"), Decimal("0"), Decimal("1.01"), Decimal("3")),
        Gap(None, T0, T0 + timedelta(seconds=5), "connection closed"),
        Gap("ETHUSDT", T0, T0, "session rotated"),
    ]
    for msg in msgs:
        assert msg is not None
        back = decode(encode(msg))
        assert back == msg
        assert type(back) is type(msg)


def test_decimals_keep_their_written_scale_and_never_use_exponents() -> None:
    trade = Trade("XRPUSDT", 1, Decimal("0.00000001"), Decimal("1E+3"), T0, False)
    body = json.loads(encode(trade))
    assert body["price"] == "0.00000001"
    assert body["quantity"] == "1000"
    assert decode(encode(trade)) == trade
    assert format(decode(encode(trade)).price, "f") == "0.00000001"  # type: ignore[union-attr]


@given(
    price=st.decimals(min_value=Decimal("0.00000001"), max_value=Decimal("1000000"), places=8),
    qty=st.decimals(min_value=Decimal(0), max_value=Decimal("100000000"), places=8),
    ms=st.integers(min_value=0, max_value=4_102_444_800_000),
    trade_id=st.integers(min_value=0, max_value=2**63),
    maker=st.booleans(),
)
def test_any_valid_trade_round_trips(
    price: Decimal, qty: Decimal, ms: int, trade_id: int, maker: bool
) -> None:
    trade = Trade("BTCUSDT", trade_id, price, qty, messages.ms_to_datetime(ms), maker)
    assert decode(encode(trade)) == trade
    good, refused = decode_batch([encode(trade)], symbols=frozenset({"BTCUSDT"}))
    assert refused == [] and good == [RawTrade.from_trade(trade)] and good[0].to_trade() == trade


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"kind": "order", "symbol": "BTCUSDT"}', "unknown message kind 'order'"),
        (b'{"symbol": "BTCUSDT"}', "unknown message kind None"),
        (candle_body(volume=...), "missing volume"),
        (candle_body(extra_field=1), "unexpected field(s) extra_field"),
        (candle_body(open=11080.64), "open must be a decimal string, got float"),
        (candle_body(open_time="1600560000000"), "open_time must be integer epoch milliseconds"),
        (candle_body(closed="yes"), "closed must be true or false"),
        (candle_body(trades=True), "trades must be an integer"),
        (candle_body(open="NaN"), "open must be a plain decimal number, got 'NaN'"),
        (candle_body(high="Infinity"), "high must be a plain decimal number"),
        (candle_body(volume="1e3"), "volume must be a plain decimal number"),
        (candle_body(low="-1"), "low must be greater than zero, got -1"),
        (candle_body(open="0"), "open must be greater than zero, got 0"),
        (candle_body(volume="-0.5"), "volume must not be negative"),
        (candle_body(high="11000", low="11042.7"), "high 11000 is below low 11042.7"),
        (candle_body(open="12000"), "open 12000 is outside [low, high]"),
        (candle_body(close="11000"), "close 11000 is outside [low, high]"),
        (candle_body(interval="7m"), "unknown kline interval '7m'"),
        (candle_body(symbol=""), "symbol must be a non-empty symbol"),
        (
            b'{"kind":"trade","symbol":"BTCUSDT","trade_id":1,"price":NaN,"quantity":"1",'
            b'"time":1,"is_buyer_maker":true}',
            "NaN is not allowed",
        ),
        (
            b'{"kind":"trade","symbol":"BTCUSDT","trade_id":-1,"price":"1","quantity":"1",'
            b'"time":1,"is_buyer_maker":true}',
            "trade_id must be a non-negative integer",
        ),
        (
            b'{"kind":"depth_snapshot","symbol":"BTCUSDT","last_update_id":1,'
            b'"bids":[["1","2","3"]],"asks":[]}',
            "bids[0] must be a [price, quantity] pair",
        ),
        (b'{"kind":"gap","symbol":null,"start":10,"end":5,"reason":"x"}', "before its start"),
    ],
)
def test_decode_refuses_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(MalformedMessage) as err:
        decode(data)
    assert reason in err.value.reason
    assert str(err.value) == err.value.reason


def test_a_1mb_blob_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_parse(*args: object, **kwargs: object) -> object:
        raise AssertionError("json.loads was called on an oversized payload")

    monkeypatch.setattr(codec.json, "loads", must_not_parse)
    blob = b'{"kind":"trade","pad":"' + b"x" * (1024 * 1024) + b'"}'
    with pytest.raises(MalformedMessage, match="over the 65536-byte limit"):
        decode(blob)


def test_size_limit_is_configurable() -> None:
    data = encode(real_trade())
    with pytest.raises(MalformedMessage, match="over the 100-byte limit"):
        decode(data, max_bytes=100)
    assert decode(data, max_bytes=len(data)) == real_trade()


def test_deeply_nested_json_is_refused() -> None:
    with pytest.raises(MalformedMessage):
        decode(b"[" * 60000)


def test_symbols_outside_the_allowed_set_are_refused() -> None:
    data = encode(real_trade())
    assert decode(data, symbols=frozenset({"BTCUSDT"})).symbol == "BTCUSDT"
    with pytest.raises(MalformedMessage, match="BTCUSDT is not one of the tracked symbols"):
        decode(data, symbols=frozenset({"ETHUSDT", "XRPUSDT"}))
    gap = encode(Gap(None, T0, T0, "all symbols"))
    assert isinstance(decode(gap, symbols=frozenset({"ETHUSDT"})), Gap)


def test_messages_validate_when_built_in_code_too() -> None:
    with pytest.raises(MalformedMessage, match="price must be a Decimal, got float"):
        Trade("BTCUSDT", 1, 1.5, Decimal(1), T0, True)  # type: ignore[arg-type]
    with pytest.raises(MalformedMessage, match="timezone-aware UTC"):
        Trade("BTCUSDT", 1, Decimal(1), Decimal(1), datetime(2025, 1, 1), True)
    with pytest.raises(MalformedMessage, match="ask_price must be a finite number"):
        BookTop("BTCUSDT", 1, Decimal(1), Decimal(1), Decimal("Infinity"), Decimal(1))
    with pytest.raises(MalformedMessage, match=r"asks\[0\] quantity must not be negative"):
        DepthSnapshot("BTCUSDT", 1, (), ((Decimal(1), Decimal(-1)),))
    with pytest.raises(MalformedMessage, match="high 1 is below low 2"):
        MiniTicker("BTCUSDT", T0, Decimal(1), Decimal(1), Decimal(2), Decimal(1), Decimal(0), Decimal(0))
    with pytest.raises(TypeError):
        encode("not a message")  # type: ignore[arg-type]


def test_time_helpers_are_exact() -> None:
    assert messages.datetime_to_ms(messages.ms_to_datetime(1762578805372)) == 1762578805372
    assert messages.ms_to_datetime(0) == datetime(1970, 1, 1, tzinfo=UTC)
    assert messages.interval_delta("5m") == timedelta(minutes=5)
    with pytest.raises(MalformedMessage, match="no fixed length"):
        messages.interval_delta("1M")


# --- decode_batch: the consumer's fast path agrees with decode on everything -------------------

TRADE: dict[str, object] = {
    "kind": "trade",
    "symbol": "BTCUSDT",
    "trade_id": 5455447976,
    "price": "102571.17000000",
    "quantity": "0.00100000",
    "time": 1762578805372,
    "is_buyer_maker": True,
}


def trade_body(**changes: object) -> bytes:
    body = {**TRADE, **changes}
    return json.dumps({k: v for k, v in body.items() if v is not ...}, separators=(",", ":")).encode()


ODD_TRADES = [
    *(trade_body(price=p) for p in ["1.", ".5", "01.5", "-5", "0", "0.000", "NaN", "Infinity", "1e3"]),
    *(trade_body(price=p) for p in [" 1", "1_000", "\u0663", "+1", 1.5, "0.00000001", "7"]),
    *(trade_body(quantity=q) for q in ["0", "-0", "-0.5", "0.0", "1E+3", "00", "3."]),
    *(trade_body(trade_id=i) for i in [-1, True, 1.0, 2**64 + 5, 0]),
    *(trade_body(time=t) for t in [-1, 0, 253_402_300_799_999, 253_402_300_800_000, True, "1"]),
    *(trade_body(is_buyer_maker=b) for b in [1, None, False]),
    *(trade_body(symbol=x) for x in ["DOGEUSDT", "", "BTC USDT", 5, "ETHUSDT"]),
    trade_body(extra=1),
    trade_body(quantity=...),
    trade_body(kind=...),
    trade_body().replace(b'"symbol":"BTCUSDT"', b'"symbol":"DOGEUSDT","symbol":"BTCUSDT"'),
    trade_body().replace(b'"symbol":"BTCUSDT"', b'"symbol":"BTCUSDT","symbol":"DOGEUSDT"'),
    trade_body().replace(b'"is_buyer_maker":true}', b'"is_buyer_maker":true,"kind":"candle"}'),
    trade_body().replace(b"BTCUSDT", b"BTC\xffUSDT"),
    trade_body().replace(b"BTCUSDT", b"BTC\\ud800"),
    trade_body().replace(b'"price":"102571.17000000"', b'"price":NaN'),
    json.dumps(dict(reversed(list(TRADE.items())))).encode(),  # kind last, with spaces
    trade_body() + b" ",
    trade_body() + b"x",
    trade_body()[:-1],
    trade_body(symbol="B" * 70_000),
    b"not json",
    candle_body(),
    candle_body(open="NaN"),
    encode(real_trade()),
]


def decoded_by_decode(values: list[bytes], symbols: frozenset[str] | None) -> tuple[list, list]:  # type: ignore[type-arg]
    good, refused = [], []
    for i, v in enumerate(values):
        try:
            good.append(decode(v, symbols=symbols))
        except MalformedMessage as exc:
            refused.append((i, exc.reason))
    return good, refused


@pytest.mark.parametrize("symbols", [frozenset({"BTCUSDT", "ETHUSDT"}), None], ids=["tracked", "any"])
def test_decode_batch_accepts_and_refuses_exactly_what_decode_does(symbols: frozenset[str] | None) -> None:
    batches = [[v] for v in ODD_TRADES] + [ODD_TRADES, [encode(real_trade())] * 3 + [trade_body(price="1.")]]
    for values in batches:
        good, refused = decode_batch(values, symbols=symbols)
        as_messages = [m.to_trade() if isinstance(m, RawTrade) else m for m in good]
        assert (as_messages, [(i, e.reason) for i, e in refused]) == decoded_by_decode(values, symbols)
    good, _ = decode_batch([encode(real_trade()), trade_body(price="1.")], symbols=symbols)
    assert isinstance(good[0], RawTrade) and isinstance(good[1], Trade)  # fast path, and decode's
