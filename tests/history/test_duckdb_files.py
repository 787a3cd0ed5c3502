"""DuckDB backend: compaction and rollups change nothing visible; writer and reader processes."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sim.adapters.history.duckdb_store import DuckDBHistoryStore
from tests.history.helpers import T0, minute_rows

N_MINUTES = 600


def partition_files(store: DuckDBHistoryStore, interval: str = "1m") -> list[str]:
    return sorted(
        p.name.split("-")[0]
        for p in store._partition("BTCUSDT", interval).iterdir()
        if p.suffix == ".parquet"
    )


def test_compaction_and_rollups_keep_the_answers(tmp_path: Path) -> None:
    store = DuckDBHistoryStore(tmp_path, compact_every=0)
    rows = minute_rows(T0, 300)
    for k in range(0, 300, 50):
        store.upsert_candles("BTCUSDT", "1m", rows[k : k + 50])
    store.upsert_candles("BTCUSDT", "1m", rows[:10])  # duplicates across files
    before = {i: store.candles("BTCUSDT", i) for i in ("1m", "15m", "1h", "4h")}
    assert store.compact("BTCUSDT", "1m") == 7
    assert partition_files(store) == ["base", "rollup1h"]
    for interval, frame in before.items():
        assert store.candles("BTCUSDT", interval).equals(frame), interval
    # new parts on top of a rolled-up base: touched hours are recomputed from the rows
    late = [{**r, "high": "400", "version": 1} for r in minute_rows(T0, 300)[100:130]]
    store.upsert_candles("BTCUSDT", "1m", late)
    hourly = store.candles("BTCUSDT", "1h")
    assert hourly["high"].tolist() == [160.0, 400.0, 400.0, 340.0, 400.0]
    expected = (
        store.candles("BTCUSDT", "1m")
        .set_index("open_time")
        .resample("1h")
        .agg({"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"})
    )
    assert hourly["high"].tolist() == expected["high"].tolist()
    assert hourly["close"].tolist() == expected["close"].tolist()
    assert hourly["volume"].tolist() == expected["volume"].round(8).tolist()
    store.compact("BTCUSDT", "1m")
    assert store.candles("BTCUSDT", "1h").equals(hourly)


# The writer is a separate interpreter (not multiprocessing's spawn, which re-runs whatever
# __main__ the test session has, e.g. an AppTest script).
WRITER = """
import sys
from pathlib import Path
from sim.adapters.history.duckdb_store import DuckDBHistoryStore
from tests.history.helpers import T0, minute_rows

root, n = Path(sys.argv[1]), int(sys.argv[2])
store = DuckDBHistoryStore(root, compact_every=8)
rows = minute_rows(T0, n)
for k in range(0, n, 3):
    store.upsert_candles("BTCUSDT", "1m", rows[k : k + 3])
    if k >= 30:
        store.upsert_candles("BTCUSDT", "1m", rows[k - 30 : k - 27])  # resend: duplicates
store.close()
"""
ROOT = Path(__file__).resolve().parents[2]


def test_writer_process_and_reader_run_together(tmp_path: Path) -> None:
    reader = DuckDBHistoryStore(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), str(N_MINUTES)], cwd=ROOT, stderr=subprocess.PIPE
    )
    seen, reads, deadline = 0, 0, time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            frame = reader.candles("BTCUSDT", "1m") if reader.symbols() else None
            if frame is not None and len(frame):
                reads += 1
                index = ((frame["open_time"] - T0) / timedelta(minutes=1)).astype(int)
                assert frame["open_time"].is_unique and frame["open_time"].is_monotonic_increasing
                assert (frame["open"] == 100 + index).all()  # never a torn candle
                assert (frame["close"] == 100.5 + index).all()
                assert len(frame) >= seen  # never goes backwards
                seen = len(frame)
                hourly = reader.candles("BTCUSDT", "1h")
                assert hourly["open_time"].is_unique
                assert hourly["open"].tolist() == [100 + 60 * k for k in range(len(hourly))]
            if seen == N_MINUTES and writer.poll() is not None:
                break
            time.sleep(0.002)
    finally:
        _, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err.decode()
    assert seen == N_MINUTES
    assert reads > 20  # really read while the writer was writing
    assert reader.coverage("BTCUSDT", "1m") == (T0, T0 + timedelta(minutes=N_MINUTES - 1), 600)
