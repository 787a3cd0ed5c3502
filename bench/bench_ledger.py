"""Benchmark: market buys per second and their latency through the public API, against a raw-SQL anchor.

Run from the repo root: ``.venv/bin/python -m bench.bench_ledger [--seconds 5] [--warmup 1]``.
PostgreSQL defaults to ``TEST_POSTGRES_URL`` (or postgres@127.0.0.1:5432); a scratch database is
created and dropped. Writes the table to ``bench/results/ledger.md``.

Cases (each time-boxed: ``--warmup`` seconds not counted, then ``--seconds`` measured):
- API: ``Simulator.buy(user_id, "BTCUSDT", "0.00100")`` (a market buy at the in-memory market's
  last price, default fee 0.1% and slippage 1 bp), one user per thread, on SQLite (file in a temp
  dir, 1 thread) and PostgreSQL (1 and 8 threads). ``buy`` returns the order with its fills, as
  every caller gets it. On PostgreSQL a buy is three round trips: ``BEGIN`` with the lock of the
  account and the read of its position (one function call), the write of order + fill + cash +
  position (one statement of data-modifying CTEs), ``COMMIT`` (see
  ``sim.adapters.ledger.pg_transactions``).
- Anchor: the same buy as ONE SQL statement through psycopg2 (autocommit, one round trip): data-
  modifying CTEs that read the user's fee and slippage, price the fill (slippage rounded up to the
  tick, fee rounded up to 1e-8), debit the cash only if it covers the cost, insert the order, upsert
  the position and insert the transaction, in the ledger's own tables. Before timing, one API buy and
  one anchor buy on two fresh users are checked to write the same rows (ids and times aside).

Rounds: every case runs ``--rounds`` times (3), the anchor and the API in turn at each thread
count, so a stall of the machine (another tenant, an fsync) that lands in one round does not decide
the row. A row gives the median round's orders/s, p50 and p99 (each the median over the rounds);
the last column lists every round's p99.

Latency is per call, wall clock, measured in the calling thread. orders/s = calls started in the
measured window / time until the last of them returned. Ratio = orders/s / anchor orders/s at the
same thread count (the SQLite row is compared with the 1-thread PostgreSQL anchor). After the run
the ledger is checked: every benchmark account's cash equals its starting cash minus its fills.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.statements import StatementCounter
from bench.threaded import Rounds, run_case
from sim.adapters.market import InMemoryMarket
from sim.domain.fills import Tick
from sim.services import Simulator
from sim.settings import ROOT, Settings

SYMBOL = "BTCUSDT"
LAST = Decimal("40000.00")
QTY = Decimal("0.00100")  # about 40 USDT a buy
STARTING = Decimal("1000000000")  # a billion USDT: cash never runs out in a run
RESULTS = ROOT / "bench" / "results" / "ledger.md"

ANCHOR_SQL = """
WITH acct AS (
    SELECT a.id AS account_id,
           COALESCE(u.taker_fee, %(taker)s) AS fee_rate,
           COALESCE(u.slippage_bps, %(slip)s) AS slip
    FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE a.user_id = %(uid)s AND a.active
), fill AS (
    SELECT account_id, fee_rate,
           ceil(%(last)s * (1 + slip / 10000) / %(tick)s) * %(tick)s AS price
    FROM acct
), cost AS (
    SELECT account_id, price, price * %(qty)s AS notional,
           ceil(price * %(qty)s * fee_rate * 100000000) / 100000000 AS fee
    FROM fill
), debit AS (
    UPDATE accounts a SET cash_free = a.cash_free - (c.notional + c.fee)
    FROM cost c
    WHERE a.id = c.account_id AND a.cash_free >= c.notional + c.fee
    RETURNING a.id AS account_id, c.price, c.notional, c.fee
), ord AS (
    INSERT INTO orders (account_id, symbol, side, type, status, quantity, filled_qty,
                        filled_notional, fee_total, reason, created_at, updated_at)
    SELECT account_id, %(symbol)s, 'BUY', 'MARKET', 'FILLED', %(qty)s, %(qty)s,
           notional, fee, '', %(now)s, %(now)s
    FROM debit
    RETURNING id, account_id
), pos AS (
    INSERT INTO positions AS p (account_id, symbol, qty_free, qty_locked, cost_basis,
                                realized_pnl, fees_paid, updated_at)
    SELECT account_id, %(symbol)s, %(qty)s, 0, notional + fee, 0, fee, %(now)s FROM debit
    ON CONFLICT (account_id, symbol) DO UPDATE SET
        qty_free = p.qty_free + EXCLUDED.qty_free,
        cost_basis = p.cost_basis + EXCLUDED.cost_basis,
        fees_paid = p.fees_paid + EXCLUDED.fees_paid,
        updated_at = EXCLUDED.updated_at
)
INSERT INTO transactions (account_id, order_id, symbol, type, quantity, price, total_amount,
                          fee, liquidity, realized_pnl, created_at)
SELECT ord.account_id, ord.id, %(symbol)s, 'BUY', %(qty)s, debit.price, debit.notional,
       debit.fee, 'taker', 0, %(now)s
FROM ord JOIN debit USING (account_id)
RETURNING order_id
"""


def open_bench_sim(url: str) -> tuple[Simulator, InMemoryMarket]:
    market = InMemoryMarket()
    settings = Settings(database_url=url, starting_balance=STARTING, max_price_age_seconds=3600)
    sim = Simulator.open(settings=settings, market=market, clock=lambda: datetime.now(UTC))
    sim.bcrypt_rounds = 4
    market.update(Tick(SYMBOL, LAST, datetime.now(UTC)))
    return sim, market


def make_users(sim: Simulator, prefix: str, count: int) -> list[int]:
    return [sim.register(f"{prefix}{i}_{uuid.uuid4().hex[:6]}", "bench password").id for i in range(count)]


def api_workers(sim: Simulator, user_ids: list[int]) -> list[Callable[[], object]]:
    def worker(uid: int) -> Callable[[], object]:
        return lambda: sim.buy(uid, SYMBOL, "0.00100")

    return [worker(u) for u in user_ids]


class Anchor:
    """The same market buy as one SQL statement, one psycopg2 connection per thread."""

    def __init__(self, dsn: str, sim: Simulator, market: InMemoryMarket) -> None:
        self.dsn, self.market = dsn, market
        self.defaults = {
            "taker": sim.settings.taker_fee,
            "slip": sim.settings.slippage_bps,
            "tick": sim.instruments[SYMBOL].tick_size,
            "qty": QTY,
            "symbol": SYMBOL,
        }
        self.connections: list[Any] = []

    def buy_on(self, conn: Any, user_id: int) -> int:
        params = dict(self.defaults, uid=user_id, now=datetime.now(UTC))
        params["last"] = self.market.last(SYMBOL).price  # type: ignore[union-attr]
        with conn.cursor() as cur:
            cur.execute(ANCHOR_SQL, params)
            row = cur.fetchone()
        if row is None:
            raise RuntimeError(f"anchor buy refused for user {user_id} (no account or no cash)")
        return int(row[0])

    def workers(self, user_ids: list[int]) -> list[Callable[[], object]]:
        import psycopg2

        calls: list[Callable[[], object]] = []
        for uid in user_ids:
            conn = psycopg2.connect(self.dsn)
            conn.autocommit = True
            self.connections.append(conn)
            calls.append(functools.partial(self.buy_on, conn, uid))
        return calls

    def close(self) -> None:
        for conn in self.connections:
            conn.close()


def rows_of(sim: Simulator, user_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """What a user's buys wrote, without ids and times (to compare the API with the anchor)."""
    queries = {
        "accounts": "SELECT starting_cash, cash_free, cash_locked FROM accounts WHERE user_id = :u",
        "positions": """SELECT p.symbol, qty_free, qty_locked, cost_basis, realized_pnl, fees_paid
            FROM positions p JOIN accounts a ON a.id = p.account_id WHERE a.user_id = :u""",
        "orders": """SELECT o.client_order_id, list_id, symbol, side, type, status, quantity, quote_amount,
            price, stop_price, filled_qty, filled_notional, fee_total, locked_cash, locked_qty, reason,
            notified FROM orders o JOIN accounts a ON a.id = o.account_id WHERE a.user_id = :u
            ORDER BY o.id""",
        "transactions": """SELECT t.client_order_id, symbol, type, quantity, price, total_amount, fee,
            liquidity, realized_pnl FROM transactions t JOIN accounts a ON a.id = t.account_id
            WHERE a.user_id = :u ORDER BY t.id""",
    }
    with sim.engine.connect() as conn:
        return {k: [tuple(r) for r in conn.execute(text(q), {"u": user_id})] for k, q in queries.items()}


def check_same_buy(sim: Simulator, anchor: Anchor) -> None:
    """Two buys each (insert, then update of the position) must write the same rows."""
    api_user, raw_user = make_users(sim, "same_api", 1)[0], make_users(sim, "same_raw", 1)[0]
    [raw_call] = anchor.workers([raw_user])
    for _ in range(2):
        sim.buy(api_user, SYMBOL, "0.00100")
        raw_call()
    api, raw = rows_of(sim, api_user), rows_of(sim, raw_user)
    if api != raw:
        raise AssertionError(f"the anchor does not write what the API writes:\nAPI {api}\nraw {raw}")


def check_ledger(sim: Simulator) -> int:
    """Every account's cash is its starting cash minus its buys; return how many fills were checked."""
    with sim.engine.connect() as conn:
        bad = conn.execute(
            text(
                """SELECT a.id, a.cash_free, a.starting_cash - COALESCE(SUM(t.total_amount + t.fee), 0)
                FROM accounts a LEFT JOIN transactions t ON t.account_id = a.id
                GROUP BY a.id HAVING a.cash_free <> a.starting_cash - COALESCE(SUM(t.total_amount + t.fee), 0)
                    OR a.cash_locked <> 0"""
            )
        ).all()
        fills = int(conn.execute(text("SELECT COUNT(*) FROM transactions")).scalar_one())
        orders = int(conn.execute(text("SELECT COUNT(*) FROM orders")).scalar_one())
    if bad or fills != orders:
        raise AssertionError(f"ledger does not add up: {bad[:5]}, {fills} fills for {orders} orders")
    return fills


def bench_sqlite(warmup: float, seconds: float, rounds: int) -> Rounds:
    root = Path(tempfile.mkdtemp(prefix="bench_ledger_"))
    try:
        sim, _ = open_bench_sim(f"sqlite:///{root / 'ledger.sqlite3'}")
        try:
            api = api_workers(sim, make_users(sim, "sqlite", 1))
            counter = StatementCounter(sim)
            result = Rounds(
                [
                    run_case("SQLite (file, WAL), API", api, warmup, seconds, statements=counter.reader())
                    for _ in range(rounds)
                ]
            )
            check_ledger(sim)
            return result
        finally:
            sim.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def bench_postgres(url: str, warmup: float, seconds: float, rounds: int, profile: str | None) -> list[Rounds]:
    import psycopg2

    admin = url.replace("postgresql+psycopg2://", "postgresql://")
    name = f"bench_ledger_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{name}"')
    dsn = admin.rsplit("/", 1)[0] + "/" + name
    results: list[Rounds] = []
    try:
        sim, market = open_bench_sim("postgresql+psycopg2://" + dsn.split("://", 1)[1])
        anchor = Anchor(dsn, sim, market)
        counter = StatementCounter(sim)
        try:
            check_same_buy(sim, anchor)
            for threads in (1, 8):
                raw = anchor.workers(make_users(sim, f"raw{threads}_", threads))
                api = api_workers(sim, make_users(sim, f"api{threads}_", threads))
                raw_rounds, api_rounds = Rounds([]), Rounds([])
                for i in range(rounds):
                    prof = profile if threads == 1 and i == 0 else None
                    raw_rounds.runs.append(run_case("PostgreSQL, raw SQL anchor", raw, warmup, seconds))
                    api_rounds.runs.append(
                        run_case("PostgreSQL, API", api, warmup, seconds, prof, counter.reader())
                    )
                results += [raw_rounds, api_rounds]
            fills = check_ledger(sim)
            print(f"ledger checked: {fills} fills, every account's cash = starting cash - its fills")
        finally:
            anchor.close()
            sim.close()
    finally:
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()
    return results


def machine() -> str:
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    mem = free[1].split()[1] if len(free) > 1 else "?"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    model = "?"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{nproc} CPUs (nproc), {mem} RAM (free -h total), {model}, {platform.platform()}"


def table(results: list[Rounds]) -> list[str]:
    anchors = {r.threads: r.rate for r in results if "anchor" in r.backend}
    lines = [
        "| backend | threads | orders/s | p50 ms | p99 ms | ratio to anchor | measured "
        "| client CPU ms/buy | statements/buy | p99 ms of each round |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = sorted(results, key=lambda r: (r.threads, "anchor" not in r.backend, "SQLite" in r.backend))
    for r in order:
        ratio = r.rate / anchors[r.threads] if r.threads in anchors else float("nan")
        lines.append(
            f"| {r.backend} | {r.threads} | {r.rate:,.0f} | {r.pct(0.50):.2f} | {r.pct(0.99):.2f} | "
            f"{ratio:.2f} | {r.seconds:.1f} s, {r.orders:,} buys | {r.cpu_ms_per_buy:.2f} | "
            + (f"{r.statements:.1f} | " if r.statements is not None else "1 | ")
            + " / ".join(f"{run.pct(0.99):.1f}" for run in r.runs)
            + " |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per case")
    parser.add_argument("--warmup", type=float, default=1.0, help="uncounted seconds before each case")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each case (median reported)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the 1-thread PostgreSQL API case")
    parser.add_argument("--no-write", action="store_true", help="print only; leave the results file")
    args = parser.parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    results = [bench_sqlite(args.warmup, args.seconds, args.rounds)]
    results += bench_postgres(args.postgres, args.warmup, args.seconds, args.rounds, args.profile)
    rows = table(results)
    api8 = next(r for r in results if r.threads == 8 and "API" in r.backend)
    anchor8 = next(r for r in results if r.threads == 8 and "anchor" in r.backend)
    met = api8.rate >= 0.5 * anchor8.rate and api8.pct(0.99) < 15
    lines = [
        "# Ledger benchmark: market buys",
        "",
        f"Command: `.venv/bin/python -m bench.bench_ledger` (run {datetime.now(UTC):%Y-%m-%d}, "
        f"{args.rounds} rounds of {args.warmup:g} s warm-up + {args.seconds:g} s measured per case, "
        f"{time.perf_counter() - started:.0f} s in all).",
        f"Machine: {machine()}.",
        "PostgreSQL 15 on the same machine (127.0.0.1, default settings, synchronous_commit on).",
        f"1-minute load average {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after "
        "(other processes on the machine slow every row alike; client CPU ms/buy and statements/buy",
        "do not depend on them).",
        "",
        f"Each call buys {QTY} BTCUSDT at market (about 40 USDT, fee 0.1%, slippage 1 bp); one user per",
        "thread. API = `Simulator.buy(...)`; anchor = the same buy as one SQL statement through psycopg2",
        "(see the module docstring of bench/bench_ledger.py). Ratio = orders/s / anchor orders/s at the",
        "same thread count (SQLite is compared with the 1-thread anchor). Each row is the median of its",
        f"{args.rounds} rounds (anchor and API in turn); the last column gives every round's p99.",
        "",
        *rows,
        "",
        "Target: API on 8 threads at least half the anchor's orders/s, p99 under 15 ms: "
        + (
            "**met**."
            if met
            else f"**missed** ({api8.rate / anchor8.rate:.2f} of the anchor, p99 {api8.pct(0.99):.1f} ms)."
        ),
    ]
    print("\n".join(lines))
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
