"""The candle history store: one interface, shared rules, two backends (DuckDB files, PostgreSQL).

Rules every backend follows (the parametrized tests in ``tests/history`` hold both to them):

- **Intervals** are Binance's ``1m 5m 15m 1h 4h 1d``. Buckets are aligned on the UTC epoch
  (``open_time`` is a whole multiple of the interval since 1970-01-01 00:00 UTC), so a day runs
  from 00:00 UTC and 4h buckets start at 00, 04, 08 ... UTC, as on Binance.
- **Exact storage**: prices and volumes are kept as DECIMAL(38, 8) / NUMERIC(38, 8). A value with
  more than 8 decimals is refused rather than rounded. ``candles()`` returns float64 columns: the
  frame is for charts and analytics, never for the money path.
- **Key and the never-older rule**: a candle is keyed on ``(symbol, interval, open_time)``. Each
  write carries ``closed`` (Binance's ``x``) and ``version`` (any number that grows as the candle is
  updated, e.g. the kline's trade count or event time; default 0). A write replaces the stored
  candle when ``(closed, version) >= (stored closed, stored version)``, comparing ``closed`` first
  (a closed candle beats any open one). So an open candle never replaces a closed one, a lower
  version never replaces a higher one, and on an exact tie the later write wins (a re-sent
  identical closed candle changes nothing; a corrected one with the same version replaces it).
  Writing the same rows twice leaves the same state (idempotent).
- **Resampling**: an interval that is not stored is built from stored intervals that divide it
  (``1h`` from ``1m``, ``4h`` and ``1d`` from ``1h`` ...): open = first, high = max, low = min,
  close = last, volume = sum, over the stored rows of the bucket. When several stored intervals
  can build a bucket (say the shipped 1h sample plus the consumer's 1m candles), each bucket is
  built from the one that covers more of it (rows x source length), the coarser one on a tie.
- **Partial buckets** (the last one still forming, or one holding a real outage) are returned with
  what is stored; they are never padded. Use ``gaps()`` to see what is missing. Open (still
  forming) candles that were stored are included like closed ones.
- **Time range**: ``start`` inclusive, ``end`` exclusive, both on the returned (bucket) open time;
  each returned bucket is aggregated from all its stored rows. ``limit`` keeps the *latest*
  ``limit`` buckets of the range. Rows are sorted ascending by ``open_time``.
- **Asking for less than is stored**: an interval finer than every stored one (``1m`` when only
  ``1h`` is stored) raises :class:`HistoryUnavailable`, whose message names what is stored. A
  symbol with no rows at all gives an empty frame.
- **Gaps are real**: ``gaps()`` reports missing candles; nothing ever invents one.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from sim.domain.errors import InvalidInput
from sim.domain.values import MONEY_UNIT, to_decimal
from sim.market.intervals import CANDLE_INTERVAL_MS, CANDLE_INTERVALS

INTERVALS = CANDLE_INTERVALS  # defined with the market vocabulary (sim.market.intervals)
INTERVAL_MS = CANDLE_INTERVAL_MS
COLUMNS = ("open_time", "open", "high", "low", "close", "volume")
PRICE_FIELDS = ("open", "high", "low", "close", "volume")
# Sources finer than this get pre-aggregated rollups at this interval (see the backends).
ROLLUP_INTERVAL = "1h"
NO_START_MS = 0  # 1970-01-01: no candle is older
NO_END_MS = 253_402_214_400_000  # 9999-12-31 00:00 UTC: past any candle, still a datetime

Gap = tuple[datetime, datetime]


class HistoryUnavailable(LookupError):
    """The asked interval cannot be built from what is stored; the message says what is stored."""


@dataclass(frozen=True, slots=True)
class CandleRow:
    """One validated candle ready to store (``open_time`` in epoch milliseconds, UTC)."""

    open_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    closed: bool = True
    version: int = 0

    @property
    def open_time(self) -> datetime:
        return datetime.fromtimestamp(self.open_ms / 1000, tz=UTC)


def check_interval(interval: str) -> str:
    if interval not in INTERVALS:
        raise InvalidInput.of("candles.interval_unknown", value=interval, names=", ".join(INTERVALS))
    return interval


def check_symbol(symbol: str) -> str:
    if not isinstance(symbol, str) or not symbol.isalnum() or symbol.upper() != symbol:
        raise InvalidInput.of("candles.symbol_format", value=symbol)
    return symbol


def to_ms(value: datetime | pd.Timestamp | int) -> int:
    """Epoch milliseconds of an aware datetime (or of an int taken as milliseconds already)."""
    if isinstance(value, bool):
        raise InvalidInput.of("candles.time_not_datetime", value=value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if not isinstance(value, datetime):
        raise InvalidInput.of("candles.time_wrong_type", kind=type(value).__name__)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput.of("candles.time_naive", value=value)
    delta = value - datetime(1970, 1, 1, tzinfo=UTC)
    return delta // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(ms))


def ceil_ms(ms: int, step: int) -> int:
    return -((-ms) // step) * step


def _field(row: Any, name: str, default: Any = None) -> Any:
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


def _exact(value: object, name: str) -> Decimal:
    number = to_decimal(value, name)
    if number.quantize(MONEY_UNIT) != number:
        raise InvalidInput.of("candles.decimals", name=name, value=value)
    if abs(number) >= Decimal(10) ** 30:
        raise InvalidInput.of("candles.too_large", name=name, value=value)
    return number


def candle_row(candle: Any, closed: bool | None = None) -> dict[str, Any]:
    """A market candle (:class:`sim.market.Candle`) as a row for ``upsert_candles``: its trade count
    is the row's version (a candle with more trades wins); ``closed`` overrides the candle's own."""
    row = {k: getattr(candle, k) for k in ("open_time", *PRICE_FIELDS)}
    row["closed"] = candle.closed if closed is None else closed
    row["version"] = getattr(candle, "trades", None) or 0
    return row


def normalize_rows(interval: str, rows: Iterable[Any]) -> list[CandleRow]:
    """Validate rows (dicts or objects) into :class:`CandleRow`, latest-wins deduplicated.

    Each row needs ``open_time`` (aware datetime, aligned on the interval) and ``open``, ``high``,
    ``low``, ``close``, ``volume`` (Decimal or plain decimal text; floats are read through their
    repr); ``closed`` (default True) and ``version`` (default 0) are optional. Raises
    :class:`InvalidInput` on the first bad row. Two rows of one batch with the same open time are
    resolved by the never-older rule, the later one winning a tie.
    """
    step = INTERVAL_MS[check_interval(interval)]
    best: dict[int, CandleRow] = {}
    for row in rows:
        open_ms = to_ms(_field(row, "open_time"))
        if open_ms % step:
            raise InvalidInput.of(
                "candles.off_boundary", time=from_ms(open_ms).isoformat(), interval=interval
            )
        o, h, low, c, v = (_exact(_field(row, name), name) for name in PRICE_FIELDS)
        if h < max(o, c, low) or low > min(o, c) or v < 0 or low < 0:
            raise InvalidInput.of(
                "candles.inconsistent",
                time=from_ms(open_ms).isoformat(),
                open=o,
                high=h,
                low=low,
                close=c,
                volume=v,
            )
        closed = _field(row, "closed", True)
        version = _field(row, "version", 0)
        if not isinstance(closed, bool):
            raise InvalidInput.of("candles.closed_not_bool", value=closed)
        if isinstance(version, bool) or not isinstance(version, int | np.integer):
            raise InvalidInput.of("candles.version_not_whole", value=version)
        candle = CandleRow(open_ms, o, h, low, c, v, closed, int(version))
        old = best.get(open_ms)
        if old is None or (candle.closed, candle.version) >= (old.closed, old.version):
            best[open_ms] = candle
    return [best[k] for k in sorted(best)]


def plan_sources(symbol: str, interval: str, stored: Sequence[str]) -> list[str]:
    """Stored intervals that can build ``interval`` (finest first); raises when there are none.

    An empty list means the symbol has nothing stored at all (the caller returns an empty frame).
    """
    check_interval(interval)
    if not stored:
        return []
    usable = [s for s in stored if INTERVAL_MS[interval] % INTERVAL_MS[s] == 0]
    if not usable:
        raise HistoryUnavailable(
            f"No {interval} candles for {symbol}: only {', '.join(sorted_intervals(stored))} "
            f"candles are stored, and {interval} cannot be built from them."
        )
    return sorted_intervals(usable)


def sorted_intervals(intervals: Iterable[str]) -> list[str]:
    return sorted(set(intervals), key=INTERVAL_MS.__getitem__)


def query_range(interval: str, start: datetime | None, end: datetime | None) -> tuple[int, int]:
    """``[lo, hi)`` in epoch ms covering every source row of the buckets in ``[start, end)``."""
    step = INTERVAL_MS[interval]
    lo = ceil_ms(to_ms(start), step) if start is not None else NO_START_MS
    hi = ceil_ms(to_ms(end), step) if end is not None else NO_END_MS
    return max(lo, NO_START_MS), min(hi, NO_END_MS)


def empty_frame() -> pd.DataFrame:
    return frame_from_arrays(np.empty(0, dtype=np.int64), *[np.empty(0)] * 5)


def frame_from_arrays(open_ms: Any, *values: Any) -> pd.DataFrame:
    """The public frame: ``open_time`` datetime64[ns, UTC] then OHLCV float64, as given (sorted)."""
    times = pd.to_datetime(np.asarray(open_ms, dtype=np.int64), unit="ms", utc=True)
    data: dict[str, Any] = {"open_time": times.astype("datetime64[ns, UTC]")}
    for name, column in zip(PRICE_FIELDS, values, strict=True):
        data[name] = np.asarray(column, dtype=np.float64)
    return pd.DataFrame(data)


def compute_gaps(
    open_ms: np.ndarray, interval: str, start: datetime | None, end: datetime | None
) -> list[Gap]:
    """Missing candles as half-open ``[first missing open_time, next present open_time)`` pairs.

    With ``start``/``end`` given, missing candles before the first / after the last stored one
    inside ``[start, end)`` are gaps too; without them the range is the stored one.
    """
    step = INTERVAL_MS[interval]
    times = np.sort(np.asarray(open_ms, dtype=np.int64))
    lo, hi = query_range(interval, start, end)
    if not len(times):
        return [(from_ms(lo), from_ms(hi))] if start is not None and end is not None else []
    bounds = times
    if start is not None:
        bounds = np.concatenate(([lo - step], bounds))
    if end is not None:
        bounds = np.concatenate((bounds, [hi]))
    jumps = np.flatnonzero(np.diff(bounds) > step)
    return [(from_ms(bounds[i] + step), from_ms(bounds[i + 1])) for i in jumps]


class HistoryStore(abc.ABC):
    """Candle history for charts, analytics and the pipeline. See the module docstring for rules."""

    @abc.abstractmethod
    def candles(
        self,
        symbol: str,
        interval: str = "1h",
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Candles ``start <= open_time < end`` (latest ``limit`` of them), ascending, float64."""

    @abc.abstractmethod
    def upsert_candles(self, symbol: str, interval: str, rows: Iterable[Any]) -> int:
        """Store rows under the never-older rule; returns how many rows were offered."""

    @abc.abstractmethod
    def stored_rows(
        self,
        symbol: str,
        interval: str,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[CandleRow]:
        """The exact stored candles (Decimal, winners only) of exactly ``interval``, ascending."""

    @abc.abstractmethod
    def stored_intervals(self, symbol: str) -> list[str]:
        """Intervals with at least one stored row for ``symbol``, finest first."""

    @abc.abstractmethod
    def symbols(self) -> list[str]:
        """Symbols with at least one stored candle, sorted."""

    @abc.abstractmethod
    def coverage(self, symbol: str, interval: str) -> tuple[datetime | None, datetime | None, int]:
        """``(first open_time, last open_time, count)`` of the *stored* rows of that interval."""

    def prepare(self) -> None:
        """Do the first-use work now (create the tables, import the shipped candles), so that a
        caller with a deadline (a consumer in a group) does not pay for it in its first batch."""
        self.symbols()

    def last_open_time(self, symbol: str, interval: str) -> datetime | None:
        """Open time of the latest stored candle of exactly that interval (None when none)."""
        return self.coverage(symbol, interval)[1]

    def gaps(
        self,
        symbol: str,
        interval: str,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[Gap]:
        """Missing candles of ``interval`` in ``[start, end)``, see :func:`compute_gaps`."""
        frame = self.candles(symbol, interval, start, end)
        open_ms = pd.DatetimeIndex(frame["open_time"]).asi8 // 1_000_000
        return compute_gaps(open_ms, interval, start, end)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections (the store reopens them lazily if used again)."""
