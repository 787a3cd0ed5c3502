"""Reading what people type: digits of any script, decimal commas, symbol names, typos.

Definitions and assumptions:
- :func:`normalize` applies Unicode NFKC (full-width ``０.５`` -> ``0.5``), turns every decimal
  digit of any script (Arabic-Indic ``٠-٩``, Persian ``۰-۹``, Devanagari ``०-९``, Bengali, Thai,
  ...) into its ASCII digit via ``unicodedata.decimal``, maps the Arabic decimal separator
  ``٫`` to ``.``, drops the Arabic thousands separator ``٬``, maps the Arabic comma ``،`` to ``,``,
  lower-cases and collapses white space.
- :func:`parse_number` reads one number token into a Decimal (never a float):
  both ``.`` and ``,`` present: the last one is the decimal mark (``1.234,5`` and ``1,234.5`` are
  1234.5); only commas: several commas, or one comma followed by exactly three digits after a
  non-zero integer part, are thousands separators (``1,000`` = 1000), otherwise the comma is the
  decimal mark (``0,5`` = 0.5, ``1,25`` = 1.25, ``0,005`` = 0.005); only dots: several dots are
  thousands separators (``1.000.000``), one dot is the decimal mark.
- :func:`resolve_symbols` finds tracked symbols by ticker (``BTCUSDT``, ``btc/usdt``), base asset
  (``btc``) or name (``bitcoin``), and by a close misspelling of a name of 5+ letters
  (``bitcon``, ``etherium``: ``difflib`` ratio >= :data:`FUZZY_CUTOFF`); short words are never
  fuzzy-matched (``by`` must not become ``bnb``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

FUZZY_CUTOFF = 0.84

#: common names of base assets (lower case); the ticker and the base asset always match too
ASSET_NAMES: dict[str, tuple[str, ...]] = {
    "BTC": ("bitcoin", "bitcoins", "xbt"),
    "ETH": ("ethereum", "ether", "eth2"),
    "SOL": ("solana",),
    "BNB": ("binance coin", "binancecoin"),
    "XRP": ("ripple",),
    "ADA": ("cardano",),
    "DOGE": ("dogecoin",),
    "LTC": ("litecoin",),
    "DOT": ("polkadot",),
    "AVAX": ("avalanche",),
    "LINK": ("chainlink",),
    "TRX": ("tron",),
    "SHIB": ("shiba", "shiba inu"),
    "MATIC": ("polygon",),
    "XMR": ("monero",),
}
#: tickers of well-known coins that may be asked about; spotting them lets us say "not tracked"
#: (tickers that are English words, such as LINK, DOT or NEAR, only count when written in capitals)
KNOWN_TICKERS = ("ADA", "DOGE", "LTC", "AVAX", "TRX", "SHIB", "MATIC", "XMR", "PEPE", "USDC", "ATOM")
WORDY_TICKERS = ("DOT", "LINK", "NEAR", "TON", "UNI", "SUI", "OP", "ARB")

_SEPARATORS = {"\u066b": ".", "\u066c": "", "\u060c": ","}
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def normalize(text: str) -> str:
    """NFKC, ASCII digits from any script, Arabic separators, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    chars = []
    for ch in text:
        if ch in _SEPARATORS:
            chars.append(_SEPARATORS[ch])
            continue
        value = unicodedata.decimal(ch, None)
        chars.append(str(value) if value is not None and not ch.isascii() else ch)
    return re.sub(r"\s+", " ", "".join(chars)).strip().lower()


def parse_number(token: str) -> Decimal | None:
    """One number token (ASCII digits, ``.`` and ``,``) as a Decimal; see the module docstring."""
    token = token.strip()
    if not token or not _NUMBER.fullmatch(token):
        return None
    if "." in token and "," in token:
        decimal_mark = "." if token.rfind(".") > token.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        token = token.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in token:
        whole, _, frac = token.partition(",")
        if token.count(",") > 1 or (len(frac) == 3 and whole.lstrip("0") != ""):
            token = token.replace(",", "")
        else:
            token = f"{whole}.{frac}"
    elif token.count(".") > 1:
        token = token.replace(".", "")
    try:
        return Decimal(token)
    except InvalidOperation:
        return None


def numbers(text: str) -> list[tuple[int, int, Decimal]]:
    """Every number in normalized ``text`` as ``(start, end, value)``."""
    found = []
    for m in _NUMBER.finditer(text):
        value = parse_number(m.group())
        if value is not None:
            found.append((m.start(), m.end(), value))
    return found


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of each word: a run of letters, digits and combining marks (so that
    Devanagari or Arabic words with vowel signs stay whole) and inner apostrophes."""
    spans: list[tuple[int, int, str]] = []
    start = None
    for i, ch in enumerate(text + " "):
        cat = unicodedata.category(ch)
        inside = cat[0] in "LNM" or (
            ch == "'" and start is not None and i + 1 < len(text) and text[i + 1].isalpha()
        )
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            spans.append((start, i, text[start:i]))
            start = None
    return spans


def words(text: str) -> list[str]:
    """The words of normalized ``text`` (see :func:`word_spans`)."""
    return [w for _, _, w in word_spans(text)]


def _aliases(symbols: Iterable[str], quote: str = "USDT") -> dict[str, str]:
    out: dict[str, str] = {}
    for symbol in symbols:
        base = symbol[: -len(quote)] if symbol.endswith(quote) else symbol
        out[symbol.lower()] = symbol
        out[base.lower()] = symbol
        for name in ASSET_NAMES.get(base, ()):
            out[name] = symbol
    return out


def resolve_symbols(text: str, symbols: Iterable[str]) -> list[str]:
    """Tracked symbols named in normalized ``text``, in order of appearance, each once."""
    tracked = list(symbols)
    aliases = _aliases(tracked)
    text = re.sub(r"\b([a-z]{2,10})\s*[/\-_]\s*usdt\b", r"\1usdt", text)
    hits: list[tuple[int, str]] = []
    for alias, symbol in aliases.items():
        if " " in alias:
            for m in re.finditer(rf"\b{re.escape(alias)}\b", text):
                hits.append((m.start(), symbol))
    fuzzy_names = [a for a in aliases if len(a) >= 5 and " " not in a]
    for start, _, word in word_spans(text):
        if word in aliases:
            hits.append((start, aliases[word]))
        elif len(word) >= 5 and word.isalpha() and word not in COMMON_WORDS:
            close = difflib.get_close_matches(word, fuzzy_names, n=1, cutoff=FUZZY_CUTOFF)
            if close:
                hits.append((start, aliases[close[0]]))
    seen: list[str] = []
    for _, symbol in sorted(hits):
        if symbol not in seen:
            seen.append(symbol)
    return seen


def untracked_assets(original: str, text: str, symbols: Iterable[str]) -> list[str]:
    """Coins named in the message that are not tracked: ``XYZUSDT`` tickers, known names and
    tickers (``dogecoin``, ``DOGE``; English-word tickers only in capitals in ``original``)."""
    tracked = set(symbols)
    found: list[str] = []
    for m in re.finditer(r"\b([a-z][a-z0-9]{1,11})\s*[/\-_]?\s*usdt\b", text):
        ticker = (m.group(1) + "usdt").upper()
        if ticker not in tracked and m.group(1) not in {"of", "in", "for", "with", "worth"}:
            found.append(ticker)
    tracked_bases = {s[:-4] for s in tracked if s.endswith("USDT")}
    for base, names in ASSET_NAMES.items():
        if base in tracked_bases:
            continue
        if any(re.search(rf"\b{re.escape(n)}\b", text) for n in names) or (
            base in KNOWN_TICKERS and re.search(rf"\b{base.lower()}\b", text)
        ):
            found.append(base)
    for base in KNOWN_TICKERS:
        if base not in tracked_bases and base not in found and re.search(rf"\b{base.lower()}\b", text):
            found.append(base)
    for base in WORDY_TICKERS:
        if base not in tracked_bases and re.search(rf"\b{base}\b", original):
            found.append(base)
    return list(dict.fromkeys(found))


#: words of 5+ letters that must never be fuzzy-matched to a coin name
COMMON_WORDS = frozenset(
    {
        "other",
        "either",
        "whether",
        "rather",
        "father",
        "bitter",
        "better",
        "simple",
        "triple",
        "people",
        "sample",
        "solar",
        "salary",
        "price",
        "prices",
        "there",
        "where",
        "thing",
        "think",
    }
)


__all__ = [
    "ASSET_NAMES",
    "FUZZY_CUTOFF",
    "normalize",
    "numbers",
    "parse_number",
    "resolve_symbols",
    "untracked_assets",
    "word_spans",
    "words",
]
