"""Rule-based intents: what a chat message asks for, and the order it describes.

The message is first normalized (:func:`sim.assistant.text.normalize`: any script's digits,
decimal commas, lower case); a Korean one is read into the English words below
(:func:`sim.assistant.korean.to_english`). Then, in this order (the first rule that matches wins):

1. ``explain_loss``: a loss word (lose, lost, losing, loss, ...) and no order;
2. ``order``: a buy/sell verb (with typos such as ``by``/``bye``/``sel``, and a few other
   languages' verbs) followed by an amount: a quantity (``0.01 BTC``), a quote amount
   (``100 USDT of ETH``, ``$100``), a fraction of the free position or cash (``half``, ``all``,
   ``25%``), optionally a limit price (``at 40000``, ``@ 40000``, ``limit 40000``); an amount or
   price in won (``40000 krw``, ``₩``) is not USDT, and the order is kept only to ask again. Short typo verbs
   (``by``, ``bye``, ``sel``) count only as the first word of the request (after "please", "I want
   to", ...), so "price by the hour" is not an order;
3. ``indicator``: an indicator word (RSI, MACD, Bollinger, volatility, SMA, ...) asked about;
4. ``track_record``, 5. ``forecast``, 6. ``analysis``, 7. ``portfolio``, 8. ``price``: keywords
   (typos of long keywords are matched with difflib, ratio >= 0.8); a bare symbol means its price;
9. ``help``, 10. ``greeting``;
11. ``unknown_symbol`` when a coin that is not tracked is named and nothing else matched, or when
    the matched intent needs a symbol and only untracked ones are named; else ``unknown``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sim.assistant.korean import reading
from sim.assistant.text import (
    normalize,
    parse_number,
    resolve_symbols,
    untracked_assets,
    word_spans,
    words,
)
from sim.assistant.vocab import (
    ANALYSIS_INDICATORS,
    ANALYSIS_WORDS,
    BUY_WORDS,
    CASH_WORDS,
    DEFINE_CUES,
    FORECAST_WORDS,
    FORECAST_WORDS_EXTRA,
    FRACTIONS,
    GREETING_WORDS,
    HELP_WORDS,
    INDICATOR_WORDS,
    LOSS_WORDS,
    POLITE,
    PORTFOLIO_WORDS,
    PRICE_WORDS,
    SELL_WORDS,
    SHORT_BUY,
    SHORT_SELL,
    TRACK_WORDS,
)

INTENTS = (
    "greeting",
    "help",
    "price",
    "forecast",
    "track_record",
    "analysis",
    "portfolio",
    "explain_loss",
    "indicator",
    "order",
    "unknown_symbol",
    "unknown",
)

NUM = r"\d[\d.,]*\d|\d"


@dataclass(frozen=True)
class OrderSpec:
    """An order as typed: ``side`` BUY/SELL, the tracked ``symbol`` (None when none was named or it
    is not tracked: then ``asset`` holds the word used), and at most one of ``quantity``,
    ``quote_amount`` (USDT) and ``fraction`` (of the free position for a sell, of free cash for a
    buy), plus ``price`` for a limit order. ``currency`` is set (``KRW``) when an amount or price was
    given in a currency that is not USDT: the chat then asks again instead of proposing."""

    side: str
    symbol: str | None
    quantity: Decimal | None = None
    quote_amount: Decimal | None = None
    fraction: Decimal | None = None
    price: Decimal | None = None
    asset: str | None = None
    currency: str | None = None

    @property
    def has_amount(self) -> bool:
        return any(v is not None for v in (self.quantity, self.quote_amount, self.fraction))


@dataclass(frozen=True)
class Intent:
    """A classified message: the intent name and what it refers to."""

    name: str
    text: str
    symbols: tuple[str, ...] = ()
    untracked: tuple[str, ...] = ()
    horizon: int | None = None
    indicator: str | None = None
    order: OrderSpec | None = None

    @property
    def symbol(self) -> str | None:
        return self.symbols[0] if self.symbols else None


def _has(ws: list[str], vocab: Iterable[str], fuzzy: bool = True) -> bool:
    vocab = tuple(vocab)
    if any(w in vocab for w in ws):
        return True
    if not fuzzy:
        return False
    long_vocab = [v for v in vocab if len(v) >= 6]
    return any(
        len(w) >= 5 and difflib.get_close_matches(w, long_vocab, n=1, cutoff=0.8) for w in ws if w.isalpha()
    )


def _verb(text: str) -> tuple[str, int] | None:
    """The order side and the end offset of its verb, or None."""
    tokens = word_spans(text)
    first = next((t for t in tokens if t[2] not in POLITE), None)
    for token in tokens:
        _, end, w = token
        if w in BUY_WORDS:
            return "BUY", end
        if w in SELL_WORDS:
            return "SELL", end
        short = w in SHORT_BUY or w in SHORT_SELL
        if short and token == first:
            return ("BUY" if w in SHORT_BUY else "SELL"), end
        if len(w) >= 5 and w.isalpha() and difflib.get_close_matches(w, ["selling", "purchase"], 1, 0.8):
            return ("SELL" if w.startswith("s") else "BUY"), end
    return None


def parse_order(text: str, symbols: list[str], untracked: list[str]) -> OrderSpec | None:
    """The order described by normalized ``text`` (see the module docstring), or None."""
    verb = _verb(text)
    if verb is None:
        return None
    side, end = verb
    rest = " " + text[end:] + " "
    if re.search(rf"(?:{NUM})\s*krw\b|₩", rest):
        return OrderSpec(side, symbols[0] if symbols else None, currency="KRW")
    price = quote = quantity = fraction = None
    m = re.search(rf"(?:\bat\b|@|\blimit\b(?:\s+price)?(?:\s+of)?)\s*\$?\s*({NUM})\s*(?:usdt|usd|\$)?", rest)
    if m:
        price = parse_number(m.group(1))
        rest = rest[: m.start()] + " " + rest[m.end() :]
    m = re.search(rf"\$\s*({NUM})|({NUM})\s*(?:usdt|usd|\$|dollars?|bucks|tether)\b", rest)
    if m:
        quote = parse_number(m.group(1) or m.group(2))
        rest = rest[: m.start()] + " " + rest[m.end() :]
    m = re.search(rf"({NUM})\s*(?:%|percent|pct|prozent|pour\s?cent|por\s?ciento)", rest)
    if m:
        pct = parse_number(m.group(1))
        fraction = pct / 100 if pct is not None else None
        rest = rest[: m.start()] + " " + rest[m.end() :]
    if fraction is None:
        half_a = re.search(r"\bhalf\s+(?:a|an)\b", rest)
        if half_a:
            quantity = Decimal("0.5")
        else:
            for word, value in FRACTIONS.items():
                if re.search(rf"\b{word}\b", rest):
                    fraction = value
                    break
    m = re.search(rf"({NUM})\s*([^\W\d_]*)", rest) if quantity is None else None
    asset_word = None
    if m:
        quantity = parse_number(m.group(1))
        asset_word = m.group(2) or None
    of_cash = fraction is not None and _has(words(rest), CASH_WORDS, fuzzy=False)
    if side == "BUY" and fraction is not None and not of_cash and quote is None:
        # "buy all" needs a size: of the cash ("buy BTC with all my cash") is the only reading
        of_cash = True
    symbol = symbols[0] if symbols else None
    if symbol is None:
        asset_word = untracked[0] if untracked else asset_word
    spec = OrderSpec(side, symbol, quantity, quote, fraction, price, asset_word)
    full_verb = any(w in BUY_WORDS or w in SELL_WORDS for w in words(text))
    if not spec.has_amount and not (full_verb and (symbol or untracked)):
        return None
    return spec


def parse_horizon(text: str) -> int | None:
    """Bars ahead asked for: ``4h``, ``4 hours``, ``next hour`` (1), or None."""
    m = re.search(r"\b(\d{1,3})\s*(?:h|hr|hrs|hour|hours|stunde|stunden|heure|heures|hora|horas)\b", text)
    if m:
        return int(m.group(1))
    if re.search(r"\bnext hour\b|\bone hour\b|\ban hour\b", text):
        return 1
    return None


def classify(message: str, symbols: Iterable[str], original: str | None = None) -> Intent:
    """The intent of ``message`` over the tracked ``symbols``; see the module docstring."""
    tracked = list(symbols)
    text = reading(message)  # normalized, and Korean read into English words
    ws = words(text)
    found = resolve_symbols(text, tracked)
    untracked = untracked_assets(original or message, text, tracked)
    horizon = parse_horizon(text)

    def make(name: str, **kw: object) -> Intent:
        return Intent(name, text, tuple(found), tuple(untracked), horizon, **kw)  # type: ignore[arg-type]

    if not text:
        return make("help")
    if not ws and normalize(message).strip("? "):  # only words no rule knows (날씨 어때?)
        return make("unknown")
    if _has(ws, LOSS_WORDS) or "in the red" in text or "went wrong" in text:
        return make("explain_loss")
    order = parse_order(text, found, untracked)
    if order is not None:
        if order.symbol is None and untracked:
            return make("unknown_symbol", order=order)
        return make("order", order=order)
    indicator = next((INDICATOR_WORDS[w] for w in ws if w in INDICATOR_WORDS), None)
    if indicator is None and re.search(r"\bmoving averages?\b", text):
        indicator = "sma"
    if indicator is None and _has(ws, ("bollinger", "volatility", "resistance", "momentum")):
        indicator = next(
            INDICATOR_WORDS[c[0]]
            for w in ws
            if (
                c := difflib.get_close_matches(
                    w, ["bollinger", "volatility", "resistance", "momentum"], 1, 0.8
                )
            )
        )
    cue = _has(ws, DEFINE_CUES, fuzzy=False)
    track = _has(ws, TRACK_WORDS, fuzzy=False) and (
        "track record" in text or _has(ws, ("accuracy", "accurate", "reliable", "hit", "precision"), False)
    )
    if indicator == "brier" and not cue:
        track = True
    if indicator is not None and not track and indicator not in ("band",):
        if indicator in ANALYSIS_INDICATORS and found and not cue:
            return make("analysis")
        return make("indicator", indicator=indicator)
    if indicator == "band" and cue:
        return make("indicator", indicator="band")
    forecast = _has(ws, FORECAST_WORDS + FORECAST_WORDS_EXTRA) or bool(
        re.search(r"\b(?:go(?:ing)?|move|moving)\s+(?:up|down)\b|\bwill\b.*\b(?:rise|fall|drop|pump)\b", text)
    )
    if track:
        return make("track_record")
    if forecast:
        return _need_symbol(make("forecast"))
    if _has(ws, ANALYSIS_WORDS):
        return _need_symbol(make("analysis"))
    if _has(ws, PORTFOLIO_WORDS) or re.search(
        r"\bhow am i doing\b|\bhow (?:is|are) my\b|\bmy (?:cash|money)\b", text
    ):
        return make("portfolio")
    if _has(ws, PRICE_WORDS) or "how much is" in text or (found and len(ws) <= 3):
        return _need_symbol(make("price"))
    if _has(ws, HELP_WORDS, fuzzy=False) or "what can you do" in text or text.strip("? ") == "":
        return make("help")
    if _has(ws, GREETING_WORDS, fuzzy=False) or re.search(
        r"\bgood (?:morning|evening|afternoon|day)\b", text
    ):
        return make("greeting")
    if untracked:
        return make("unknown_symbol")
    return make("unknown")


def _need_symbol(intent: Intent) -> Intent:
    """An intent about a symbol whose only named coins are untracked becomes ``unknown_symbol``."""
    if not intent.symbols and intent.untracked:
        return Intent("unknown_symbol", intent.text, (), intent.untracked, intent.horizon)
    return intent


__all__ = ["INTENTS", "Intent", "OrderSpec", "classify", "parse_horizon", "parse_order"]
