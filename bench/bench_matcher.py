"""Benchmark: the matcher's question to the ledger after competitions joined it to ``accounts``.

Run from the repo root: ``.venv/bin/python -m bench.bench_matcher [--postgres URL] [--orders N]``.
PostgreSQL defaults to ``TEST_POSTGRES_URL`` (or postgres@127.0.0.1:5432); a scratch database is
created and dropped. Writes the table to ``bench/results/matcher.md``.

Data: ``--orders`` resting BUY limit orders of BTCUSDT (default 5,000) placed through the API by
100 users at prices spread 20,000-29,999 under a last price of 30,000; every other user's account
gets a competition window that closed (``accounts.trade_until`` set), so the join has work to do.

What is timed (p50 and p95 of 300 calls each, alternating): :func:`crossed_orders` with the trade's
time (the matcher's call since competitions: the join to ``accounts`` and the window filter)
against the anchor, the same query without a time (no join: the query before competitions), at
a price that crosses nothing (the common trade) and at one that crosses about 1% of the orders.
Then ``Simulator.match`` at the price that crosses nothing, end to end. Ratio = p50 / anchor p50.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.bench_ledger import machine
from sim.adapters.ledger.crossing import crossed_orders
from sim.adapters.market import InMemoryMarket
from sim.domain.fills import Tick
from sim.services import Simulator
from sim.settings import ROOT, Settings

SYMBOL, LAST = "BTCUSDT", Decimal("30000")
USERS, CALLS = 100, 300


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def fill_ledger(sim: Simulator, n_orders: int) -> datetime:
    """The resting orders (see the module docstring); returns the moment after the last one."""
    ids = [sim.register(f"m{i}_{uuid.uuid4().hex[:6]}", "bench password").id for i in range(USERS)]
    for k in range(n_orders):
        price = Decimal(20_000 + (k * 7919) % 10_000)
        sim.place_order(ids[k % USERS], SYMBOL, "BUY", "LIMIT", quantity="0.001", price=str(price))
    closed = datetime(2000, 1, 1, tzinfo=UTC)
    with sim.engine.begin() as conn:
        conn.execute(text("UPDATE accounts SET trade_until = :t WHERE id % 2 = 0"), {"t": closed})
    return datetime.now(UTC) + timedelta(seconds=1)


def rows(sim: Simulator, at: datetime) -> list[tuple[str, list[float]]]:
    cases: dict[str, Callable[[], Any]] = {}
    for label, price in (("crosses nothing", LAST), ("crosses ~1%", Decimal("29900"))):

        def anchor(price: Decimal = price) -> Any:
            with sim.engine.connect() as conn:
                return crossed_orders(conn, SYMBOL, price)

        def joined(price: Decimal = price) -> Any:
            with sim.engine.connect() as conn:
                return crossed_orders(conn, SYMBOL, price, at)

        cases[f"anchor: crossed_orders without a time (no join), {label}"] = anchor
        cases[f"crossed_orders with the trade's time (join + window), {label}"] = joined
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(CALLS):
        for name, call in cases.items():
            times[name].append(timed(call))
    match = [timed(lambda: sim.match(SYMBOL, LAST, at)) for _ in range(CALLS)]
    return [*times.items(), ("Simulator.match, a trade that crosses nothing (end to end)", match)]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    import psycopg2

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--postgres", default=default)
    parser.add_argument("--orders", type=int, default=5_000)
    args = parser.parse_args()
    admin = args.postgres.replace("postgresql+psycopg2://", "postgresql://")
    name = f"bench_matcher_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    conn.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        url = "postgresql+psycopg2://" + (admin.rsplit("/", 1)[0] + "/" + name).split("://", 1)[1]
        market = InMemoryMarket()
        settings = Settings(database_url=url, starting_balance=Decimal(10**9), max_price_age_seconds=86_400)
        sim = Simulator.open(settings=settings, market=market, clock=lambda: datetime.now(UTC))
        sim.bcrypt_rounds = 4
        market.update(Tick(SYMBOL, LAST, datetime.now(UTC)))
        try:
            at = fill_ledger(sim, args.orders)
            with sim.engine.connect() as c:
                c.execute(text("ANALYZE"))
            measured = rows(sim, at)
        finally:
            sim.close()
    finally:
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()
    anchors = {"nothing": statistics.median(measured[0][1]), "~1%": statistics.median(measured[2][1])}
    load = os.getloadavg()[0]
    lines = [
        "# Matcher benchmark: the crossing query joined to accounts",
        "",
        f"Machine: {machine()}; load average {load:.1f} at the end.",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        f"Command: `.venv/bin/python -m bench.bench_matcher` ({args.orders:,} resting orders, "
        f"{USERS} users, half of the accounts with a closed competition window; {CALLS} calls per "
        "row; see the docstring).",
        "",
        "| call | p50 ms | p95 ms | ratio to anchor |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, values in measured:
        anchor = anchors["~1%"] if "~1%" in label else anchors["nothing"]
        ratio = statistics.median(values) / anchor
        lines.append(f"| {label} | {statistics.median(values):.2f} | {pct(values, 0.95):.2f} | {ratio:.2f} |")
    out = "\n".join(lines) + "\n"
    print(out)
    Path(ROOT / "bench" / "results" / "matcher.md").write_text(out)


if __name__ == "__main__":
    main()
