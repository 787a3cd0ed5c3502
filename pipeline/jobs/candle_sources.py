"""Where the hourly backfill (:func:`pipeline.jobs.data.run_backfill`) gets closed candles from.

- ``binance``: the public REST klines endpoint (:class:`~pipeline.sources.binance_rest.BinanceRest`),
  closed candles only;
- ``offline``: the shipped real candles (``data/sample/<SYMBOL>-<interval>.csv.gz``) or, with a
  ``dump_dir``, Binance public dump files ``<SYMBOL>-<interval>-*.zip|csv``; what they do not
  cover yields no candles (nothing is invented);
- ``auto`` (:func:`choose_source`): ``binance`` when ``GET /api/v3/ping`` answers 200 within
  ``PING_TIMEOUT_S`` seconds, else ``offline``.

Every fetch returns the candles whose open time is in ``[start, end)``; the network and file
readers are imported when called, so importing this module does no I/O.
"""

from __future__ import annotations

import csv
import gzip
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sim.market import Candle, datetime_to_ms, ms_to_datetime, parse_decimal
from sim.settings import Settings

log = logging.getLogger(__name__)
SOURCES = ("auto", "binance", "offline")
PING_TIMEOUT_S = 3.0


def binance_reachable(base_url: str | None = None, timeout: float = PING_TIMEOUT_S) -> bool:
    """True when Binance's ``/api/v3/ping`` answers 200 within ``timeout`` seconds."""
    import requests

    from pipeline.sources.binance_rest import DEFAULT_BASE_URL

    try:
        response = requests.get((base_url or DEFAULT_BASE_URL).rstrip("/") + "/api/v3/ping", timeout=timeout)
    except requests.RequestException:
        return False
    return response.status_code == 200


def choose_source(source: str, base_url: str | None = None) -> str:
    """``binance`` or ``offline`` for a requested ``source`` (``auto`` probes Binance)."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    if source == "auto":
        return "binance" if binance_reachable(base_url) else "offline"
    return source


def _sample_candles(
    path: Path, symbol: str, interval: str, start: datetime, end: datetime
) -> Iterator[Candle]:
    """Candles of a shipped sample file with ``start <= open_time < end`` (rows are in time order)."""
    lo, hi = datetime_to_ms(start), datetime_to_ms(end)
    with gzip.open(path, "rt", newline="") as fh:
        for row in csv.DictReader(fh):
            t = int(row["open_time"])
            if t < lo:
                continue
            if t >= hi:
                return
            o, h, low, c, v = (parse_decimal(row[n], n) for n in ("open", "high", "low", "close", "volume"))
            yield Candle(symbol, interval, ms_to_datetime(t), o, h, low, c, v, closed=True)


def fetch_offline(
    settings: Settings,
    symbol: str,
    interval: str,
    start: datetime,
    end: datetime,
    dump_dir: Path | None = None,
) -> list[Candle]:
    """The offline source's candles of ``[start, end)``, in the order the source holds them."""
    if dump_dir is not None:
        from pipeline.sources.dump_import import read_dumps

        paths = [p for p in Path(dump_dir).glob(f"{symbol}-{interval}-*") if p.suffix in (".zip", ".csv")]
        return [c for c in read_dumps(paths) if start <= c.open_time < end]
    path = settings.sample_dir / f"{symbol}-{interval}.csv.gz"
    if not path.is_file():
        log.warning(
            "no shipped %s candles for %s (%s is missing): nothing to backfill", interval, symbol, path
        )
        return []
    return list(_sample_candles(path, symbol, interval, start, end))


def fetch_binance(
    symbol: str, interval: str, start: datetime, end: datetime, client: Any = None
) -> list[Candle]:
    """Closed candles of ``[start, end)`` from Binance REST (the forming one is left out)."""
    from pipeline.sources.binance_rest import BinanceRest

    rest = client or BinanceRest()
    got: list[Candle] = []
    rest.backfill(symbol, interval, start, end - timedelta(milliseconds=1), got.extend)
    return [c for c in got if start <= c.open_time < end]
