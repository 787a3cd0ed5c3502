"""The data.binance.vision dump importer on small dump files built from the shipped real candles."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.sources.dump_import import dump_time, parse_dump_name, read_dump, read_dumps
from sim.market import Candle, MalformedMessage, ms_to_datetime
from tests.pipeline.fixtures import sample_rows

ROWS = sample_rows("ETHUSDT", 48)
HOUR_MS = 3_600_000


def dump_line(row: list[str], unit: int) -> str:
    """A sample row as a 12-column dump line, times in ms (unit=1) or µs (unit=1000)."""
    open_ms = int(row[0])
    cols = [str(open_ms * unit), *row[1:6], str((open_ms + HOUR_MS) * unit - 1), "0", "17", "0", "0", "0"]
    return ",".join(cols)


def expected(rows: list[list[str]]) -> list[Candle]:
    return [
        Candle(
            "ETHUSDT",
            "1h",
            ms_to_datetime(int(r[0])),
            open=Decimal(r[1]),
            high=Decimal(r[2]),
            low=Decimal(r[3]),
            close=Decimal(r[4]),
            volume=Decimal(r[5]),
            closed=True,
            trades=17,
        )
        for r in rows
    ]


def write_csv(path: Path, rows: list[list[str]], unit: int, header: bool = False) -> Path:
    lines = [dump_line(r, unit) for r in rows]
    if header:
        lines.insert(
            0,
            "open_time,open,high,low,close,volume,close_time,quote_volume,count,"
            "taker_buy_volume,taker_buy_quote_volume,ignore",
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def write_zip(path: Path, rows: list[list[str]], unit: int) -> Path:
    csv_name = path.name.replace(".zip", ".csv")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(csv_name, "\n".join(dump_line(r, unit) for r in rows) + "\n")
    return path


@pytest.mark.parametrize("unit", [1, 1000], ids=["milliseconds", "microseconds"])
def test_plain_csv_in_both_units(tmp_path: Path, unit: int) -> None:
    path = write_csv(tmp_path / "ETHUSDT-1h-2020-09.csv", ROWS, unit)
    assert list(read_dump(path)) == expected(ROWS)


@pytest.mark.parametrize("unit", [1, 1000], ids=["milliseconds", "microseconds"])
def test_zip_in_both_units(tmp_path: Path, unit: int) -> None:
    path = write_zip(tmp_path / "ETHUSDT-1h-2020-09.zip", ROWS, unit)
    candles = list(read_dump(path))
    assert candles == expected(ROWS)
    assert all(c.closed for c in candles)


def test_unit_is_decided_per_row_and_a_header_is_skipped(tmp_path: Path) -> None:
    # a file straddling the switch: first half in ms, second half in µs
    path = tmp_path / "ETHUSDT-1h-mixed.csv"
    lines = [dump_line(r, 1) for r in ROWS[:24]] + [dump_line(r, 1000) for r in ROWS[24:]]
    path.write_text("\n".join(lines) + "\n")
    assert list(read_dump(path)) == expected(ROWS)
    with_header = write_csv(tmp_path / "ETHUSDT-1h-2020-10.csv", ROWS[:3], 1000, header=True)
    assert list(read_dump(with_header)) == expected(ROWS[:3])


def test_dump_time_boundaries() -> None:
    switch = datetime(2025, 1, 1, tzinfo=UTC)
    assert dump_time("1735689600000") == switch  # ms
    assert dump_time("1735689600000000") == switch  # µs
    assert dump_time("1735689600123456") == datetime(2025, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)
    with pytest.raises(MalformedMessage, match="whole number"):
        dump_time("1.7e12")


def test_several_files_in_date_order(tmp_path: Path) -> None:
    late = write_zip(tmp_path / "ETHUSDT-1h-2020-09-21.zip", ROWS[24:], 1000)
    early = write_csv(tmp_path / "ETHUSDT-1h-2020-09-20.csv", ROWS[:24], 1)
    assert list(read_dumps([late, early])) == expected(ROWS)


def test_names_and_bad_rows(tmp_path: Path) -> None:
    assert parse_dump_name("BTCUSDT-1m-2025-01-31.zip") == ("BTCUSDT", "1m")
    with pytest.raises(MalformedMessage, match="cannot tell symbol and interval"):
        parse_dump_name("klines.csv")
    short = tmp_path / "ETHUSDT-1h-2020-09.csv"
    short.write_text(dump_line(ROWS[0], 1) + "\n" + ",".join(ROWS[1]) + "\n")
    with pytest.raises(MalformedMessage, match="ETHUSDT-1h-2020-09.csv line 2: expected 12 columns, got 6"):
        list(read_dump(short))
    bad = tmp_path / "ETHUSDT-1h-2020-10.csv"
    r = list(ROWS[0])
    r[3] = "99999"  # low above high
    bad.write_text(dump_line(r, 1) + "\n")
    with pytest.raises(MalformedMessage, match="line 1: high .* is below low 99999"):
        list(read_dump(bad))
