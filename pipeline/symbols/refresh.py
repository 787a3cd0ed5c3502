"""``python -m pipeline symbols refresh``: exchangeInfo -> a checked snapshot, with what changed.

Assumptions:
- The source is Binance's ``GET /api/v3/exchangeInfo`` at ``BINANCE_REST_URL`` (``--base-url``
  overrides it), fetched with :class:`~pipeline.sources.binance_rest.BinanceRest` (its retry and
  weight rules), or a file given with ``--from`` (a saved answer, for machines without internet).
- Nothing is written unless the whole answer passes the checks (:mod:`pipeline.symbols.universe`);
  a refusal leaves the snapshot (and the previous one) untouched. An answer identical in what the
  simulator reads (:mod:`pipeline.symbols.diff`) is not written either: the previous snapshot then
  stays the one before the last real change.
- The printout says what was added, removed and changed (filter values old -> new), which symbols
  are not trading, and warns when a tracked symbol (``SYMBOLS``) is missing or not trading in the
  new snapshot (start-up will refuse it). It goes to stdout for a person; logs go to stderr.
- Exit codes: 0 written or unchanged; 1 refused (the answer or the file is wrong: fix, then rerun);
  75 (EX_TEMPFAIL) when Binance could not be reached: the same command may succeed later.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.symbols.diff import SnapshotDiff, diff_snapshots
from pipeline.symbols.store import read_snapshot, replace_snapshot
from pipeline.symbols.universe import build_snapshot, symbols_of
from sim.domain.errors import InvalidExchangeRules, SimError
from sim.settings import Settings

MAX_NAMES = 40
MAX_CHANGES = 200
EX_TEMPFAIL = 75


@dataclass(frozen=True)
class RefreshReport:
    source: str
    path: Path
    diff: SnapshotDiff
    written: bool
    previous: Path | None
    doc: dict[str, Any]
    offered: int  # symbols in the answer, before the cut to the quote assets
    old_problem: str | None = None  # why the old snapshot could not be read, if it could not


def read_file(path: Path) -> Any:
    """A saved exchangeInfo answer, or InvalidExchangeRules saying why it cannot be used."""
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise InvalidExchangeRules(f"There is no file {path}.") from None
    except (OSError, ValueError) as exc:
        raise InvalidExchangeRules(f"{path} is not a JSON document: {exc}.") from None


def fetch(base_url: str, *, timeout: float, retries: int) -> Any:
    """exchangeInfo for every symbol from ``base_url`` (BinanceRestError/BinanceUnreachable)."""
    from pipeline.sources.binance_rest import BinanceRest

    return BinanceRest(base_url=base_url, timeout=timeout, max_retries=retries).get("/api/v3/exchangeInfo")


def refresh_snapshot(
    info: Any,
    path: Path,
    *,
    source: str,
    quotes: Collection[str] | None = ("USDT",),
    keep: Collection[str] = (),
) -> RefreshReport:
    """Check ``info``, compare it with the snapshot at ``path`` and replace that when it changed."""
    doc = build_snapshot(info, quotes, keep)
    old, problem = read_snapshot(path)
    diff = diff_snapshots(old, doc)
    written = diff.empty is False or old is None
    previous = replace_snapshot(path, doc) if written else None
    offered = len(info["symbols"])
    return RefreshReport(source, path, diff, written, previous, doc, offered, problem)


def _names(names: Sequence[str], statuses: dict[str, str]) -> str:
    def one(n: str) -> str:
        return n if statuses.get(n, "TRADING") == "TRADING" else f"{n} ({statuses[n]})"

    shown = [one(n) for n in names[:MAX_NAMES]]
    more = f", ... and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else ""
    return ", ".join(shown) + more


def render(report: RefreshReport, tracked: Sequence[str] = ()) -> str:
    """The printout of a refresh, for a person."""
    entries = symbols_of(report.doc)
    statuses = {s: str(e.get("status")) for s, e in entries.items()}
    d = report.diff
    lines = [f"Read exchangeInfo from {report.source}: {report.offered} symbols, {len(entries)} kept."]
    if report.old_problem:
        lines.append(f"The old snapshot could not be compared: {report.old_problem}.")
    lines.append(f"Added ({len(d.added)}): {_names(d.added, statuses) or '-'}")
    lines.append(f"Removed ({len(d.removed)}): {_names(d.removed, {}) or '-'}")
    lines.append(f"Changed ({len(d.changes)}):" + ("" if d.changes else " -"))
    lines += [f"  {c}" for c in d.changes[:MAX_CHANGES]]
    if len(d.changes) > MAX_CHANGES:
        lines.append(f"  ... and {len(d.changes) - MAX_CHANGES} more")
    halted = sorted(s for s, st in statuses.items() if st != "TRADING")
    if halted:
        lines.append(
            f"Not trading ({len(halted)}): {_names(halted, statuses)}; "
            "refused in SYMBOLS and in orders until Binance lists them as TRADING."
        )
    for symbol in tracked:
        if symbol not in entries:
            lines.append(
                f"Warning: SYMBOLS names {symbol}, which the new snapshot does not list: "
                "start-up will refuse it."
            )
        elif statuses[symbol] != "TRADING":
            lines.append(
                f"Warning: SYMBOLS names {symbol}, which is not trading on Binance (status "
                f"{statuses[symbol]}): start-up will refuse it."
            )
    if not report.written:
        lines.append(f"No changes: {report.path} was left as it was ({len(entries)} symbols).")
    else:
        kept = f"; the previous one is kept as {report.previous}" if report.previous else ""
        lines.append(f"Wrote {report.path} ({len(entries)} symbols){kept}.")
    return "\n".join(lines)


def cmd_symbols_refresh(args: argparse.Namespace, settings: Settings) -> int:
    """The CLI command: see the module docstring."""
    path: Path = args.snapshot or settings.exchange_info_path
    wanted = {q.strip().upper() for q in args.quote.split(",") if q.strip()}
    quotes = None if "ALL" in wanted else wanted
    try:
        if args.from_file:
            info, source = read_file(args.from_file), str(args.from_file)
        else:
            base = (args.base_url or settings.binance_rest_url).rstrip("/")
            info = fetch(base, timeout=args.timeout, retries=args.retries)
            source = f"{base}/api/v3/exchangeInfo"
        report = refresh_snapshot(info, path, source=source, quotes=quotes, keep=settings.symbols)
    except SimError as exc:
        print(f"symbols refresh refused: {exc}", file=sys.stderr)
        print(f"The snapshot {path} was left as it was.", file=sys.stderr)
        return EX_TEMPFAIL if exc.retryable else 1
    print(render(report, settings.symbols))
    return 0


def add_parser(sub: Any) -> None:
    """``symbols refresh`` and its options, on the CLI's subparsers."""
    symbols = sub.add_parser("symbols", help="the symbol universe: Binance exchangeInfo snapshot")
    actions = symbols.add_subparsers(dest="action", required=True)
    refresh = actions.add_parser("refresh", help="fetch exchangeInfo, check it, replace the snapshot")
    refresh.add_argument("--from", dest="from_file", type=Path, help="a saved exchangeInfo answer (offline)")
    refresh.add_argument("--base-url", help="Binance REST base URL (default BINANCE_REST_URL)")
    refresh.add_argument("--quote", default="USDT", help="quote assets to keep, comma-separated, or ALL")
    refresh.add_argument(
        "--snapshot", type=Path, help="snapshot file (default EXCHANGE_INFO_PATH, data/exchange_info.json)"
    )
    refresh.add_argument("--timeout", type=float, default=10.0, help="seconds per HTTP attempt")
    refresh.add_argument("--retries", type=int, default=5, help="retries after a network error or 5xx")
    refresh.set_defaults(func=cmd_symbols_refresh)
