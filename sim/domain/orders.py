"""Orders: kinds, the state transition table, and validated order requests.

Order kinds (spot, long-only account):
- MARKET: fills now against the book (when one is given) or the last price plus slippage.
  A BUY may give ``quote_amount`` ("buy 100 USDT of BTC") instead of ``quantity``.
- LIMIT: rests at ``price``; fills at ``price`` once a trade goes through it (see ``sim.domain.fills``).
  A limit already through the market when placed fills at once as a taker, never worse than ``price``.
- STOP_LOSS (stop-market): rests until a trade reaches ``stop_price`` against the holder (SELL: at or
  below; BUY: at or above), then becomes a MARKET order.
- TAKE_PROFIT: like STOP_LOSS, triggered in the holder's favour (SELL: at or above; BUY: at or below).
- TRAILING_STOP (trailing stop-market, "Trailing stop"): a stop that follows the best price seen by
  ``trailing_delta`` basis points, with an optional activation price kept in ``stop_price``
  (Binance's ``stopPrice`` on a trailing order); the rule is :mod:`sim.domain.trailing`.
- OCO: one TAKE_PROFIT and one STOP_LOSS (or TRAILING_STOP) for the same quantity sharing a
  ``list_id``; when one fills, the other is canceled.

States: NEW -> OPEN -> PARTIALLY_FILLED -> FILLED, with CANCELED, REJECTED and EXPIRED as the other
ends. A market order that the book could only partly fill ends EXPIRED with its filled part kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sim.domain.errors import ClientOrderIdConflict, IllegalTransition, InvalidInput
from sim.domain.instruments import Instrument
from sim.domain.messages import Term, Terms
from sim.domain.trailing import check_delta
from sim.domain.values import positive


class Side(StrEnum):
    BUY = "BUY"
    SELL = "SELL"


class OrderType(StrEnum):
    MARKET = "MARKET"
    LIMIT = "LIMIT"
    STOP_LOSS = "STOP_LOSS"
    TAKE_PROFIT = "TAKE_PROFIT"
    TRAILING_STOP = "TRAILING_STOP"


class OrderStatus(StrEnum):
    NEW = "NEW"
    OPEN = "OPEN"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    CANCELED = "CANCELED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"


S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.NEW: frozenset({S.OPEN, S.PARTIALLY_FILLED, S.FILLED, S.REJECTED, S.EXPIRED}),
    S.OPEN: frozenset({S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED}),
    S.PARTIALLY_FILLED: frozenset({S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED}),
    S.FILLED: frozenset(),
    S.CANCELED: frozenset(),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
}
RESTING = frozenset({S.OPEN, S.PARTIALLY_FILLED})
TERMINAL = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)


def transition(current: OrderStatus, new: OrderStatus) -> OrderStatus:
    """Return ``new`` if the table allows ``current -> new``, else raise IllegalTransition."""
    if new not in TRANSITIONS[current]:
        if current in TERMINAL:
            raise IllegalTransition.of(
                "order.already_final", current=Term(current.lower()), new=Term(new.lower())
            )
        raise IllegalTransition.of("order.bad_transition", current=Term(current), new=Term(new))
    return new


def _enum(cls: type[StrEnum], value: object, field: str) -> StrEnum:
    text = str(value).strip().upper().replace("-", "_").replace(" ", "_")
    try:
        return cls(text)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise InvalidInput.of("order.not_one_of", field=Term(field), allowed=allowed, value=value) from None


def parse_side(value: object) -> Side:
    result = _enum(Side, value, "side")
    assert isinstance(result, Side)
    return result


def parse_order_type(value: object) -> OrderType:
    result = _enum(OrderType, value, "order type")
    assert isinstance(result, OrderType)
    return result


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A validated request for one order. Build it with :func:`make_request`."""

    symbol: str
    side: Side
    type: OrderType
    quantity: Decimal | None = None
    quote_amount: Decimal | None = None
    price: Decimal | None = None
    stop_price: Decimal | None = None  # a TRAILING_STOP's activation price
    client_order_id: str | None = None
    trailing_delta: int | None = None  # bps, TRAILING_STOP only

    @property
    def resting(self) -> bool:
        return self.type is not OrderType.MARKET


_MAX_CLIENT_ID = 64


def check_client_order_id(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput.of("order.client_id_empty")
    text = value.strip()
    if len(text) > _MAX_CLIENT_ID or not all(c.isalnum() or c in "-_.:" for c in text):
        raise InvalidInput.of("order.client_id_malformed", most=_MAX_CLIENT_ID)
    return text


_REQUEST_FIELDS = (
    "symbol",
    "side",
    "type",
    "quantity",
    "quote_amount",
    "price",
    "stop_price",
    "trailing_delta",
)


def check_same_request(request: OrderRequest, earlier: Any) -> int:
    """The id of ``earlier`` (an order row with the same ``client_order_id``) when ``request``
    repeats its parameters (a retry), else ClientOrderIdConflict naming what differs.

    Amounts compare as numbers (``0.010`` is ``0.01``); the order's state does not matter."""
    differ = [
        Term(name.replace("_", " "))
        for name in _REQUEST_FIELDS
        if _value(getattr(request, name)) != _value(getattr(earlier, name, None))
    ]
    if differ:
        amount = earlier.quantity if earlier.quantity is not None else earlier.quote_amount
        shown = f"{Decimal(amount).normalize():f}" if amount is not None else "?"
        raise ClientOrderIdConflict.of(
            "order.client_id_conflict",
            client_order_id=request.client_order_id,
            order=earlier.id,
            order_text=f"{earlier.side} {earlier.type} {shown} {earlier.symbol}",
            differ=Terms(differ),
        )
    return int(earlier.id)


def _value(value: object) -> object:
    """A field as compared: text as its plain str (an enum member as its value), numbers as Decimal."""
    if value is None:
        return None
    if isinstance(value, str):
        return str.__str__(value)
    return Decimal(value)  # type: ignore[arg-type]


def make_request(
    instrument: Instrument,
    side: object,
    order_type: object = OrderType.MARKET,
    *,
    quantity: object = None,
    quote_amount: object = None,
    price: object = None,
    stop_price: object = None,
    client_order_id: object = None,
    trailing_delta_bps: object = None,
    activation_price: object = None,
) -> OrderRequest:
    """Validate raw fields against the instrument's filters and return an OrderRequest.

    Raises InvalidInput (or OrderRejected for notional) with a message naming the faulty field.
    The notional check for market orders happens at fill time, when the price is known; for a
    trailing stop at its activation price when it has one, else when it is placed.
    """
    s = parse_side(side)
    t = parse_order_type(order_type)
    if quantity is not None and quote_amount is not None:
        raise InvalidInput.of("order.quantity_and_quote")
    qty = instrument.quantity(quantity) if quantity is not None else None
    quote: Decimal | None = None
    if quote_amount is not None:
        if t is not OrderType.MARKET or s is not Side.BUY:
            raise InvalidInput.of("order.quote_only_market_buy")
        quote = positive(quote_amount, "quote amount")
        if quote.as_tuple().exponent < -8:  # type: ignore[operator]
            raise InvalidInput.of("order.quote_decimals")
    if qty is None and quote is None:
        raise InvalidInput.of("order.no_quantity")
    limit = stop = None
    delta: int | None = None
    if t is OrderType.TRAILING_STOP:
        if trailing_delta_bps is None:
            raise InvalidInput.of("order.trailing_needs_delta")
        if stop_price is not None:
            raise InvalidInput.of("order.trailing_no_stop_price")
        delta = check_delta(trailing_delta_bps, s, instrument.trailing_delta, instrument.symbol)
        if activation_price is not None:
            stop_price = activation_price
    elif trailing_delta_bps is not None or activation_price is not None:
        raise InvalidInput.of("order.no_trailing_fields", type=Term(t))
    if t is OrderType.LIMIT:
        if price is None:
            raise InvalidInput.of("order.limit_needs_price")
        limit = instrument.price(price, "limit price")
    elif price is not None:
        raise InvalidInput.of("order.no_limit_price", type=Term(t))
    if t in (OrderType.STOP_LOSS, OrderType.TAKE_PROFIT):
        if stop_price is None:
            raise InvalidInput.of("order.needs_stop_price", type=Term(t.replace("_", " ").lower()))
        stop = instrument.price(stop_price, "stop price")
    elif t is OrderType.TRAILING_STOP:
        if qty is None:
            raise InvalidInput.of("order.trailing_needs_quantity")
        if stop_price is not None:
            stop = instrument.price(stop_price, "activation price")
    elif stop_price is not None:
        raise InvalidInput.of("order.no_stop_price", type=Term(t))
    if qty is not None and (limit or stop):
        instrument.check_notional(limit or stop or Decimal(0), qty)
    return OrderRequest(
        symbol=instrument.symbol,
        side=s,
        type=t,
        quantity=qty,
        quote_amount=quote,
        price=limit,
        stop_price=stop,
        client_order_id=check_client_order_id(client_order_id),
        trailing_delta=delta,
    )


def make_oco(
    instrument: Instrument,
    side: object,
    *,
    quantity: object,
    take_profit: object,
    stop_loss: object = None,
    client_order_id: object = None,
    trailing_delta_bps: object = None,
    activation_price: object = None,
) -> tuple[OrderRequest, OrderRequest]:
    """Validate an OCO: a TAKE_PROFIT and a STOP_LOSS leg for the same quantity, or with
    ``trailing_delta_bps`` a TAKE_PROFIT and a TRAILING_STOP leg (optional ``activation_price``).

    For a SELL the take-profit must lie above the stop-loss (or the activation price); for a BUY
    below it. A trailing leg without an activation price is checked against the market when placed.
    """
    s = parse_side(side)
    cid = check_client_order_id(client_order_id)
    if trailing_delta_bps is not None:
        if stop_loss is not None:
            raise InvalidInput.of("oco.stop_and_trailing")
        return _trailing_oco(instrument, s, quantity, take_profit, trailing_delta_bps, activation_price, cid)
    if stop_loss is None:
        raise InvalidInput.of("oco.no_stop")
    tp = make_request(
        instrument,
        s,
        OrderType.TAKE_PROFIT,
        quantity=quantity,
        stop_price=take_profit,
        client_order_id=cid,
    )
    sl = make_request(
        instrument,
        s,
        OrderType.STOP_LOSS,
        quantity=quantity,
        stop_price=stop_loss,
        client_order_id=f"{cid}:sl" if cid else None,
    )
    assert tp.stop_price is not None and sl.stop_price is not None
    if s is Side.SELL and not tp.stop_price > sl.stop_price:
        raise InvalidInput.of("oco.sell_order")
    if s is Side.BUY and not tp.stop_price < sl.stop_price:
        raise InvalidInput.of("oco.buy_order")
    return tp, sl


def _trailing_oco(
    instrument: Instrument,
    s: Side,
    quantity: object,
    take_profit: object,
    delta: object,
    activation: object,
    cid: str | None,
) -> tuple[OrderRequest, OrderRequest]:
    """The take-profit and trailing-stop legs of an OCO (see :func:`make_oco`)."""
    tp = make_request(
        instrument, s, OrderType.TAKE_PROFIT, quantity=quantity, stop_price=take_profit, client_order_id=cid
    )
    trail = make_request(
        instrument,
        s,
        OrderType.TRAILING_STOP,
        quantity=quantity,
        trailing_delta_bps=delta,
        activation_price=activation,
        client_order_id=f"{cid}:sl" if cid else None,
    )
    assert tp.stop_price is not None
    act = trail.stop_price
    if act is not None and (act >= tp.stop_price if s is Side.SELL else act <= tp.stop_price):
        where = "below" if s is Side.SELL else "above"
        raise InvalidInput.of("oco.activation_side", where=Term(where))
    return tp, trail
