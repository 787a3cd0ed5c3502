"""``python -m pipeline import FILE...``: Binance's public monthly kline dumps into this system.

Assumptions:
- A file is a data.binance.vision spot kline dump (``<SYMBOL>-<interval>-<YYYY-MM>.zip`` or its
  CSV; parsed by :mod:`pipeline.sources.dump_import`: 12 columns, open time in ms, or µs from 2025).
- Every symbol must be listed in the exchangeInfo snapshot (its filters: tick and step sizes, ...
  come from there); an unlisted symbol refuses the whole command before anything is written
  (refresh the snapshot first). A symbol listed but not TRADING is imported with a warning: it
  cannot be watched or traded until Binance lists it as TRADING.
- Every dump goes into the history store (``HISTORY_URL``; keyed writes, so importing a file twice
  changes nothing). Hourly dumps are also merged into ``IMPORT_DIR/<SYMBOL>-1h.csv.gz``, the file
  the offline replay plays (:mod:`sim.universe`), so the symbol joins the replay, the watchlist
  search and the pickers at the next start of the app or the replay. A symbol with a shipped sample
  keeps replaying its sample (its imported candles are still charted from the history store).
- Exit codes: 0 imported, 1 refused (a malformed dump or an unknown symbol; nothing written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.sources.dump_import import parse_dump_name, read_dump
from sim.adapters.history.base import HistoryStore, candle_row
from sim.adapters.sample_candles import merge_into_file
from sim.domain.errors import InvalidExchangeRules
from sim.domain.instruments import TRADING
from sim.market import Candle, MalformedMessage
from sim.settings import Settings
from sim.universe import read_snapshot


@dataclass(frozen=True)
class Imported:
    symbol: str
    interval: str
    candles: int
    replay_file: Path | None


def _replay_rows(candles: Sequence[Candle]) -> list[tuple[int, str, str, str, str, str]]:
    return [
        (
            int(c.open_time.timestamp() * 1000),
            *(format(v, "f") for v in (c.open, c.high, c.low, c.close, c.volume)),
        )  # type: ignore[misc]
        for c in candles
    ]


def import_dumps(
    files: Sequence[Path], settings: Settings, history: HistoryStore, say: Callable[[str], None] = print
) -> int:
    """Import ``files`` as the module docstring says; returns the exit code."""
    try:
        snapshot = read_snapshot(settings.exchange_info_path)
    except InvalidExchangeRules as exc:
        say(f"refused: {exc}")
        return 1
    statuses = {e.get("symbol"): e.get("status", TRADING) for e in snapshot["symbols"] if isinstance(e, dict)}
    parsed: list[tuple[Path, list[Candle]]] = []
    for path in files:
        try:
            symbol, _ = parse_dump_name(path.name)
            if symbol not in statuses:
                say(
                    f"refused: {symbol} ({path.name}) is not in the exchangeInfo snapshot "
                    f"{settings.exchange_info_path}, so its tick and step sizes are unknown. Refresh it "
                    "with `python -m pipeline symbols refresh` (or `--from FILE`) first. "
                    "Nothing was imported."
                )
                return 1
            parsed.append((path, list(read_dump(path))))
        except MalformedMessage as exc:
            say(f"refused: {path.name}: {exc.reason}. Nothing was imported.")
            return 1
        except OSError as exc:
            say(f"refused: cannot read {path}: {exc}. Nothing was imported.")
            return 1
    done: list[Imported] = []
    for path, candles in parsed:
        if not candles:
            say(f"{path.name}: no candles")
            continue
        symbol, interval = candles[0].symbol, candles[0].interval
        history.upsert_candles(symbol, interval, [candle_row(c, closed=True) for c in candles])
        target = None
        shipped = (settings.sample_dir / f"{symbol}-1h.csv.gz").is_file()
        if interval == "1h" and not shipped:
            target = settings.import_dir / f"{symbol}-1h.csv.gz"
            merge_into_file(target, _replay_rows(candles))
        done.append(Imported(symbol, interval, len(candles), target))
        first, last = candles[0].open_time, candles[-1].open_time
        where = f"the history store and the replay ({target})" if target else "the history store"
        say(
            f"{symbol} {interval}: {len(candles)} candles {first:%Y-%m-%d %H:%M} to "
            f"{last:%Y-%m-%d %H:%M} UTC -> {where}"
        )
    for symbol in sorted({d.symbol for d in done}):
        if statuses[symbol] != TRADING:
            say(
                f"warning: {symbol} is not trading on Binance (status {statuses[symbol]}): its candles are "
                "imported, but it cannot be watched or traded until Binance lists it as TRADING."
            )
    return 0
