"""A constructed 500-symbol universe: the shipped snapshot's five symbols plus 495 made-up USDT
symbols (``T001USDT`` ... ``T495USDT``) with DOGEUSDT's real filters (from
``rest/exchange_info_universe.json``), each with 24 hourly candles to replay: the real XRPUSDT
candles of 2023-11-30 scaled x 0.15 (before ``REPLAY_START``, so the replay primes their price but
plays nothing for them: the feed stays as light as with five symbols). For the pickers' size
tests and ``bench/bench_universe.py``; names and levels are constructed, the formats real.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

from sim.adapters.sample_candles import merge_into_file
from tests.pipeline.doge import UNIVERSE
from tests.pipeline.fixtures import SAMPLE, sample_rows

EXTRA = 495
HOUR_MS = 3_600_000
DAY_START_MS = 1701302400000  # 2023-11-30 00:00 UTC


def names(extra: int = EXTRA) -> list[str]:
    return [f"T{i:03d}USDT" for i in range(1, extra + 1)]


def _rows() -> list[tuple[int, str, str, str, str, str]]:
    rows = [r for r in sample_rows("XRPUSDT") if DAY_START_MS <= int(r[0]) < DAY_START_MS + 24 * HOUR_MS]
    tick = Decimal("0.00001")
    out = []
    for r in rows:
        prices = [format((Decimal(x) * Decimal("0.15")).quantize(tick), "f") for x in r[1:5]]
        out.append((int(r[0]), *prices, r[5]))  # type: ignore[arg-type]
    return out  # type: ignore[return-value]


def build(tmp: Path, extra: int = EXTRA) -> dict[str, str]:
    """Write the snapshot and the candle files under ``tmp``; the environment pointing at them."""
    shipped = json.loads((SAMPLE.parent / "exchange_info.json").read_text())
    doge = next(e for e in json.loads(UNIVERSE.read_text())["symbols"] if e["symbol"] == "DOGEUSDT")
    for name in names(extra):
        entry = copy.deepcopy(doge)
        entry["symbol"], entry["baseAsset"] = name, name[: -len("USDT")]
        shipped["symbols"].append(entry)
    (tmp / "exchange_info.json").write_text(json.dumps(shipped))
    rows = _rows()
    for name in names(extra):
        merge_into_file(tmp / "imported" / f"{name}-1h.csv.gz", rows)
    return {"EXCHANGE_INFO_PATH": str(tmp / "exchange_info.json"), "IMPORT_DIR": str(tmp / "imported")}
