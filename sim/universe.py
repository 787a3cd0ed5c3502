"""The tradable universe: which symbols can be watched, charted and traded here.

Design (assumptions stated once, used by the composition root, the pipeline and the app):

- **The exchange rules** of every symbol come from the exchangeInfo snapshot
  (``data/exchange_info.json``, written by ``python -m pipeline symbols refresh``). A symbol it does
  not list is unknown; one it lists as not TRADING (BREAK, HALT) is refused with its status.
- **Market data decides the rest.** A TRADING symbol is tradable when prices can reach it:
  - *live* (prices from a feed run elsewhere: ``KAFKA_BOOTSTRAP_SERVERS`` or ``REDIS_URL``): every
    TRADING symbol of the snapshot. The Binance producer subscribes to ``SYMBOLS`` plus every
    user's watchlist (``pipeline.subscriptions``), so watching a symbol puts it on the feed; until
    its first trade arrives a market order is refused for want of a price, like any symbol;
  - *offline* (the replay of candles in this process): the TRADING symbols with an hourly candle
    file to replay: the shipped ``data/sample/<SYMBOL>-1h.csv.gz`` or an imported one in
    ``IMPORT_DIR`` (``python -m pipeline import`` of Binance's monthly kline dumps writes it, and the
    same candles into the history store for the charts). Another TRADING symbol is refused with a
    sentence saying to import a dump of it.
- ``SYMBOLS`` are always part of the universe (start-up refuses them when they are unknown or not
  trading, see :func:`sim.bootstrap.load_instruments`); they are what the Dashboard and the market
  clock follow for everyone, beside each user's watchlist.
- **Watchlists** (:mod:`sim.watch_api`) hold at most :data:`MAX_WATCHLIST` symbols per user, each
  in the universe at the moment it is added.
- A new import or snapshot is read when the system is opened: the app and the replay pick it up at
  their next start (the replay's streams are fixed when it starts).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.domain.errors import InvalidExchangeRules
from sim.domain.instruments import TRADING, Instruments, instrument_from_exchange_info
from sim.settings import Settings

MAX_WATCHLIST = 50
_CANDLE_FILE = re.compile(r"^(?P<symbol>[A-Z0-9]+)-1h\.csv\.gz$")
REFRESH_HINT = "Refresh it with `python -m pipeline symbols refresh` (or `--from FILE` offline)."


def candle_file(settings: Settings, symbol: str) -> Path | None:
    """The hourly candle file the offline replay plays for ``symbol``: the shipped sample, else an
    imported one (``IMPORT_DIR``); None when there is neither."""
    for folder in (settings.sample_dir, settings.import_dir):
        path = folder / f"{symbol}-1h.csv.gz"
        if path.is_file():
            return path
    return None


def replayable_symbols(settings: Settings) -> set[str]:
    """Symbols with an hourly candle file in the sample or the import directory."""
    found: set[str] = set()
    for folder in (settings.sample_dir, settings.import_dir):
        if folder.is_dir():
            found |= {m["symbol"] for p in folder.iterdir() if (m := _CANDLE_FILE.match(p.name))}
    return found


def read_snapshot(path: Path) -> dict[str, Any]:
    """The exchangeInfo snapshot document; InvalidExchangeRules (naming the file) when it is
    missing or unreadable."""
    try:
        info = json.loads(path.read_text())
    except FileNotFoundError:
        raise InvalidExchangeRules.of("snapshot.missing", path=str(path)) from None
    except (OSError, ValueError) as exc:
        raise InvalidExchangeRules.of("snapshot.unreadable", path=str(path), error=str(exc)) from None
    if not isinstance(info, dict) or not isinstance(info.get("symbols"), list):
        raise InvalidExchangeRules.of("snapshot.no_symbols", path=str(path))
    return info


def universe(info: dict[str, Any], settings: Settings, offline: bool) -> Instruments:
    """The tradable instruments of the snapshot ``info`` (see the module docstring).

    ``SYMBOLS`` are checked first (unknown or not trading: refused as at start-up); the other
    entries are parsed only when tradable, so one malformed entry of a symbol nobody can trade does
    not stop the system (the refresh checks every entry anyway).
    """
    tracked = Instruments.from_exchange_info(info, settings.symbols)  # raises for SYMBOLS
    have_candles = replayable_symbols(settings) if offline else set()
    items = {s: tracked[s] for s in tracked}
    not_trading: dict[str, str] = {}
    unavailable: dict[str, tuple[str, Mapping[str, object]]] = {}
    for entry in info["symbols"]:
        symbol = entry.get("symbol") if isinstance(entry, dict) else None
        if not isinstance(symbol, str) or symbol in items:
            continue
        status = str(entry.get("status", TRADING))
        if status != TRADING:
            not_trading[symbol] = status
        elif offline and symbol not in have_candles:
            unavailable[symbol] = ("symbol.no_candles", {"symbol": symbol})
        else:
            try:
                items[symbol] = instrument_from_exchange_info(entry)
            except InvalidExchangeRules as exc:
                unavailable[symbol] = ("symbol.bad_rules", {"symbol": symbol, "error": exc})
    return Instruments(items.values(), not_trading, unavailable)


def snapshot_symbols(info: dict[str, Any]) -> list[str]:
    """Every symbol the snapshot lists as TRADING, sorted (what a watchlist search offers live)."""
    return sorted(
        e["symbol"]
        for e in info["symbols"]
        if isinstance(e, dict) and isinstance(e.get("symbol"), str) and e.get("status", TRADING) == TRADING
    )
