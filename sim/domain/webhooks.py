"""Fill notifications by webhook: which addresses are accepted, what is sent, and when it is retried.

Rules (pure; the store and the sender are adapters):
- **One webhook per user**: an ``http://`` or ``https://`` URL of at most 500 characters with a
  host, no user name or password in it, in one of three formats: ``json`` (a generic JSON object,
  below), ``slack`` (``{"text": ...}``, Slack's incoming webhooks) or ``discord``
  (``{"content": ...}``, Discord's). Addresses on this machine or a private network (loopback,
  RFC 1918, link-local, ``localhost``) are refused unless the operator allows them
  (``WEBHOOK_ALLOW_PRIVATE``): a webhook must not become a way to reach the server's own services.
  A host *name* is not resolved here; the sender checks the address it connects to again.
- **Events**: each fill of any of the user's accounts, sent once it is in the ledger. A fill of a
  stop-loss, take-profit or trailing-stop order is a ``stop_triggered`` event, any other fill a
  ``fill``.
  ``time`` is the fill's market time (the simulator's clock), never the wall clock.
- **At least once, with an idempotency key**: ``fill-<fill id>``, the same on every attempt, sent
  as the ``Idempotency-Key`` header and inside the generic JSON body, so a receiver can drop a
  repeat. A delivery succeeds on any 2xx answer.
- **Retries with back-off**: after the n-th failed attempt the next one waits
  ``min(5 * 2**(n-1), 900)`` seconds (5, 10, 20, ... up to 15 minutes, wall clock: delivery is
  infrastructure, not market time); after :data:`MAX_ATTEMPTS` failures (about a day) the delivery
  is marked ``failed`` and kept in the log.
"""

from __future__ import annotations

import ipaddress
import json
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from sim.domain.errors import InvalidInput
from sim.domain.words import say

MAX_URL_LENGTH = 500
MAX_ATTEMPTS = 100  # 5 s doubling to 15 min: about 24 hours of retries in all
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=15)
STOP_TYPES = frozenset({"STOP_LOSS", "TAKE_PROFIT", "TRAILING_STOP"})


class WebhookFormat(StrEnum):
    JSON = "json"
    SLACK = "slack"
    DISCORD = "discord"


def check_format(value: object) -> WebhookFormat:
    try:
        return WebhookFormat(str(value).strip().lower())
    except ValueError:
        names = ", ".join(f.value for f in WebhookFormat)
        raise InvalidInput.of("webhook.format", value=value, names=names) from None


def is_private_host(host: str) -> bool:
    """True for ``localhost`` and literal loopback, private, link-local or unspecified addresses."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # a host name: resolved and checked again by the sender
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def check_url(url: object, allow_private: bool = False) -> str:
    """The URL, stripped, if it may receive notifications (see the module docstring)."""
    text = str(url or "").strip()
    if not text:
        raise InvalidInput.of("webhook.url_missing")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidInput.of("webhook.url_long", length=len(text), most=MAX_URL_LENGTH)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput.of("webhook.url_scheme", text=text)
    if parts.username or parts.password:
        raise InvalidInput.of("webhook.url_credentials")
    if not allow_private and is_private_host(parts.hostname):
        raise InvalidInput.of("webhook.private_host", host=parts.hostname)
    return text


def event_key(fill_id: int) -> str:
    """The idempotency key of a fill's notification: the same on every attempt."""
    return f"fill-{int(fill_id)}"


def event_name(order_type: str) -> str:
    return "stop_triggered" if order_type in STOP_TYPES else "fill"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


#: the Slack/Discord line of a fill (``fill`` / ``stop_triggered``) per language
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "fill": "Filled: {side} {quantity} {symbol} at {price} (fee {fee}), order {order}, {time}",
        "stop_triggered": (
            "Stop triggered: {side} {quantity} {symbol} at {price} (fee {fee}), order {order}, {time}"
        ),
        "side_BUY": "BUY",
        "side_SELL": "SELL",
    },
    "ko": {
        "fill": "체결: {symbol} {quantity} {side}, 가격 {price} (수수료 {fee}), 주문 {order}, {time}",
        "stop_triggered": (
            "스톱 발동: {symbol} {quantity} {side}, 가격 {price} (수수료 {fee}), 주문 {order}, {time}"
        ),
        "side_BUY": "매수",
        "side_SELL": "매도",
    },
}


def body(fmt: WebhookFormat, fill: dict[str, Any], lang: str = "en") -> str:
    """The JSON text sent for ``fill`` (keys: id, order_id, order_type, symbol, side, quantity,
    price, fee, time, account_id). Numbers are exact decimal strings. The Slack/Discord line is in
    the user's language (``lang``: ``en`` or ``ko``); the JSON body is the same in both."""
    event = event_name(fill["order_type"])
    quantity, price, fee = _plain(fill["quantity"]), _plain(fill["price"]), _plain(fill["fee"])
    when = fill["time"].isoformat()
    if fmt is WebhookFormat.JSON:
        return json.dumps(
            {
                "event": event,
                "idempotency_key": event_key(fill["id"]),
                "fill_id": int(fill["id"]),
                "order_id": int(fill["order_id"]),
                "order_type": fill["order_type"],
                "account_id": int(fill["account_id"]),
                "symbol": fill["symbol"],
                "side": fill["side"],
                "quantity": quantity,
                "price": price,
                "fee": fee,
                "time": when,
            },
            separators=(",", ":"),
        )
    line = say(
        WORDS,
        lang,
        event,
        side=say(WORDS, lang, f"side_{fill['side']}"),
        quantity=quantity,
        symbol=fill["symbol"],
        price=price,
        fee=fee,
        order=fill["order_id"],
        time=when,
    )
    return json.dumps({"text": line} if fmt is WebhookFormat.SLACK else {"content": line})


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_key(entry_id: int, rank: int | None, as_of: datetime) -> str:
    """The idempotency key of a rank-change notification: the entry, its new rank and the market
    time of the standings it was read from."""
    return f"rank-{int(entry_id)}-{as_of:%Y%m%dT%H%M%S}-{rank if rank is not None else 'unranked'}"


def rank_body(fmt: WebhookFormat, change: dict[str, Any], lang: str = "en") -> str:
    """The JSON text sent when a member's rank by score changed. ``change`` keys: entry_id,
    competition, season, rank and previous (None: unranked), ranked (how many are ranked), ret,
    score (Decimal fractions), time (market time of the standings), key. The Slack/Discord line is
    in the member's language (``lang``: ``en`` or ``ko``); the JSON body is the same in both."""
    rank, previous = change["rank"], change["previous"]
    if fmt is WebhookFormat.JSON:
        return json.dumps(
            {
                "event": "rank_change",
                "idempotency_key": change["key"],
                "entry_id": int(change["entry_id"]),
                "competition": change["competition"],
                "season": int(change["season"]),
                "rank": rank,
                "previous_rank": previous,
                "ranked": int(change["ranked"]),
                "by": "score",
                "return": _plain(change["ret"]),
                "score": _plain(change["score"]),
                "time": change["time"].isoformat(),
            },
            separators=(",", ":"),
        )
    ret = f"{float(change['ret']) * 100:+.2f}%"
    if lang == "ko":
        now = f"점수 기준 {rank}위 ({change['ranked']}명 중)" if rank is not None else "순위에서 빠졌습니다"
        was = f", 이전 {previous}위" if previous is not None else ""
        line = f"{change['competition']} 시즌 {change['season']}: {now}{was}, 수익률 {ret}, "
        line += change["time"].isoformat()
    else:
        where = f"{change['competition']}, season {change['season']}"
        now = (
            f"you are now {ordinal(rank)} of {change['ranked']}"
            if rank is not None
            else "you are no longer ranked"
        )
        was = f" (was {ordinal(previous)})" if previous is not None else ""
        line = f"{where}: {now} by score{was}, return {ret}, {change['time'].isoformat()}"
    return json.dumps({"text": line} if fmt is WebhookFormat.SLACK else {"content": line})


def next_wait(failed_attempts: int) -> timedelta | None:
    """How long to wait after ``failed_attempts`` failures; None once the delivery is given up."""
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    doublings = min(max(failed_attempts - 1, 0), 20)  # 5 s x 2**20 is far past the longest wait
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)
