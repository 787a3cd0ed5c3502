"""Import Binance public data dumps (data.binance.vision spot klines) as closed Candles.

Assumptions:
- A dump file is ``<SYMBOL>-<interval>-<YYYY-MM[-DD]>.zip`` holding one CSV of the same name, or
  that CSV itself. Rows have the 12 kline columns (open time, open, high, low, close, volume, close
  time, quote volume, trades, taker buy base, taker buy quote, ignore) and usually no header; a
  header row (first cell not a number) is skipped.
- ``open_time`` is in milliseconds before 2025-01-01 and in microseconds from then on. The unit is
  decided per row by magnitude: a value of at least ``10**14`` is microseconds (milliseconds only
  reach that in the year 5138; microseconds passed it in 1973).
- Prices are parsed from the CSV text straight into Decimal. Every candle in a dump is closed.
- Symbol and interval come from the file name unless given.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from sim.market import EPOCH, Candle, MalformedMessage, parse_decimal

MICROSECONDS_FROM = 10**14
_NAME = re.compile(r"^(?P<symbol>[A-Z0-9]+)-(?P<interval>\d+[smhdwM])-")


def parse_dump_name(name: str) -> tuple[str, str]:
    """``BTCUSDT-1h-2025-01.zip`` -> ``("BTCUSDT", "1h")``."""
    match = _NAME.match(Path(name).name)
    if not match:
        raise MalformedMessage(f"cannot tell symbol and interval from the file name {name!r}")
    return match["symbol"], match["interval"]


def dump_time(value: str) -> datetime:
    """A dump timestamp (ms or µs since the epoch, by magnitude) -> aware UTC datetime."""
    if not value.isdigit():
        raise MalformedMessage(f"timestamp must be a whole number, got {value!r}")
    number = int(value)
    if number >= MICROSECONDS_FROM:
        return EPOCH + timedelta(microseconds=number)
    return EPOCH + timedelta(milliseconds=number)


def parse_dump_rows(
    rows: Iterable[list[str]], symbol: str, interval: str, source: str = "dump"
) -> Iterator[Candle]:
    """12-column kline rows -> closed Candles; a bad row raises naming ``source`` and its line."""
    for line, row in enumerate(rows, start=1):
        if not row:
            continue
        if line == 1 and not row[0].strip().isdigit():
            continue  # header
        if len(row) != 12:
            raise MalformedMessage(f"{source} line {line}: expected 12 columns, got {len(row)}")
        try:
            yield Candle(
                symbol=symbol,
                interval=interval,
                open_time=dump_time(row[0].strip()),
                open=parse_decimal(row[1].strip(), "open"),
                high=parse_decimal(row[2].strip(), "high"),
                low=parse_decimal(row[3].strip(), "low"),
                close=parse_decimal(row[4].strip(), "close"),
                volume=parse_decimal(row[5].strip(), "volume"),
                closed=True,
                trades=int(row[8]) if row[8].strip().isdigit() else None,
            )
        except MalformedMessage as err:
            raise MalformedMessage(f"{source} line {line}: {err.reason}") from err


def read_dump(path: Path, symbol: str | None = None, interval: str | None = None) -> Iterator[Candle]:
    """Candles of one dump file (``.zip`` or ``.csv``), in file order; reads lazily."""
    if symbol is None or interval is None:
        name_symbol, name_interval = parse_dump_name(path.name)
        symbol, interval = symbol or name_symbol, interval or name_interval
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            for member in sorted(n for n in archive.namelist() if n.endswith(".csv")):
                with archive.open(member) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                    yield from parse_dump_rows(csv.reader(text), symbol, interval, f"{path.name}:{member}")
    else:
        with path.open(newline="", encoding="utf-8") as fh:
            yield from parse_dump_rows(csv.reader(fh), symbol, interval, path.name)


def read_dumps(paths: Iterable[Path]) -> Iterator[Candle]:
    """Candles of several dump files, in the order of ``sorted(paths)`` (date order by name)."""
    for path in sorted(paths):
        yield from read_dump(path)
