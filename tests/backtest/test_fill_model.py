"""The engine's per-fill path (``fill_at``) is the paper path (``fill``: ``Instrument.quantity``,
``execute_market``, ``Account.apply_fill``) without the objects: same balances, same errors."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from sim.analytics.backtest import FillModel, instrument
from sim.analytics.backtest.fill_model import fill_at, taker_price
from sim.analytics.backtest.instruments import default_instruments
from sim.domain.account import Account
from sim.domain.errors import InvalidInput, OrderRejected
from sim.domain.fills import Execution, execute_market
from sim.domain.instruments import Instrument
from sim.domain.orders import Side


def fill(
    account: Account,
    instrument: Instrument,
    side: Side,
    quantity: Decimal,
    reference: Decimal,
    model: FillModel,
) -> tuple[Execution, list[Decimal], list[Decimal]]:
    """Fill one market order on ``account`` exactly as paper trading does.

    Returns the execution and, per part, its fee and realized PnL (0 for a BUY).

    Raises the domain's ``InvalidInput`` (quantity off the step grid or outside LOT_SIZE) or
    ``OrderRejected`` (under min notional, not enough cash or quantity); the account is then
    unchanged.
    """
    qty = instrument.quantity(quantity)
    execution = execute_market(
        instrument,
        side,
        model.rate,
        quantity=qty,
        last=reference,
        slippage_bps=model.slippage_bps,
    )
    fees, pnls = [], []
    for part in execution.parts:
        fee = execution.part_fee(part)
        pnl = account.apply_fill(
            instrument.symbol,
            side,
            part.quantity,
            part.price * part.quantity,
            fee,
            instrument.base_asset,
            instrument.quote_asset,
        )
        fees.append(fee)
        pnls.append(pnl)
    return execution, fees, pnls


def outcome(
    path: str, account: Account, inst: Instrument, side: Side, qty: Decimal, ref: Decimal, model: FillModel
) -> tuple[object, ...]:
    """What a fill leaves: the row values or the refusal, and the account after it."""
    try:
        if path == "paper":
            execution, fees, pnls = fill(account, inst, side, qty, ref, model)
            (part,) = execution.parts
            notional = part.price * part.quantity
            row: tuple[object, ...] = (part.price, part.quantity, fees[0], notional, pnls[0])
        else:
            price = taker_price(inst, side, ref, model)
            notional, fee, pnl = fill_at(account, inst, side, qty, price, model.rate)
            row = (price, qty, fee, notional, pnl)
    except (InvalidInput, OrderRejected) as exc:
        row = (type(exc), str(exc))
    pos = account.position(inst.symbol)
    return row, account.cash_free, pos.qty_free, pos.cost_basis, pos.realized_pnl, pos.fees_paid


@pytest.mark.parametrize("seed", range(4))
def test_fill_at_agrees_with_the_paper_path_exactly(seed: int) -> None:
    rng = random.Random(seed)
    shipped = default_instruments()
    insts = [shipped["BTCUSDT"], shipped["ETHUSDT"], instrument("X", tick_size="0.001", step_size="0.1")]
    models = [FillModel(), FillModel(slippage_bps=Decimal(0)), FillModel(slippage_bps=Decimal("7.5"))]
    for _ in range(400):
        inst, model = rng.choice(insts), rng.choice(models)
        ref = Decimal(rng.randrange(1, 5_000_000)) * inst.tick_size
        steps = rng.choice([0, 1, 10**13] + [rng.randrange(1, 10**7)] * 7)
        qty = steps * inst.step_size
        if rng.random() < 0.1:
            qty += rng.choice([inst.step_size / 3, -inst.step_size])
        # around what the order needs: sometimes short of it, mostly enough
        cash = (abs(qty) * ref * Decimal(rng.uniform(0.9, 1.5))).quantize(Decimal("0.00000001"))
        held = max(qty, Decimal(0)) * rng.choice([0, 1, 1, 2]) + rng.choice([0, 1]) * inst.step_size
        side = rng.choice([Side.BUY, Side.SELL])
        results = []
        for path in ("paper", "engine"):
            account = Account(cash_free=cash)
            account.position(inst.symbol).qty_free = held
            account.position(inst.symbol).cost_basis = held * ref
            results.append(outcome(path, account, inst, side, qty, ref, model))
        assert results[0] == results[1], (inst.symbol, side, qty, ref, cash, held)
