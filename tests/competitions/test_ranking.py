"""The ranking rules as formulas on hand-built equity curves and results (sim.domain.ranking).

Every expected value is written as the formula of the module docstring, not as a number copied
from a run: R = (E - S) / S, D = max (peak - equity) / peak, score = R / max(D, 1%) for a gain and
R x max(D, 1%) / (1%)^2 for a loss.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from sim.domain.errors import InvalidInput
from sim.domain.ranking import (
    SCORE_FLOOR,
    Result,
    equity_at,
    max_drawdown,
    positions_after,
    score,
    standings,
    total_return,
)
from sim.views import FillView

T0 = datetime(2024, 1, 1, tzinfo=UTC)
S = D(10_000)
F = SCORE_FLOOR


def result(entry_id: int, equity: str, drawdown: str = "0", trades: int = 5, joined: int = 0) -> Result:
    return Result(entry_id, f"m{entry_id}", T0 + timedelta(minutes=joined), S, D(equity), D(drawdown), trades)


def test_return_is_the_change_over_the_starting_balance() -> None:
    assert total_return(S, D(11_500)) == (D(11_500) - S) / S == D("0.15")
    assert total_return(S, D(9_000)) == (D(9_000) - S) / S
    with pytest.raises(InvalidInput):
        total_return(D(0), D(1))


def test_max_drawdown_is_the_largest_fall_from_the_running_peak() -> None:
    curve = [D(v) for v in (10_000, 11_000, 9_900, 12_000, 10_800, 11_500)]
    # falls: 11000 -> 9900 and 12000 -> 10800; the largest relative one counts
    expected = max((D(11_000) - D(9_900)) / D(11_000), (D(12_000) - D(10_800)) / D(12_000))
    assert max_drawdown(curve) == expected
    assert max_drawdown([D(10_000), D(10_500), D(11_000)]) == 0  # never fell
    assert max_drawdown([]) == 0
    assert max_drawdown([D(10_000), D(0)]) == 1  # everything lost


def test_score_divides_a_gain_and_multiplies_a_loss_by_the_floored_drawdown() -> None:
    gain, loss = D("0.20"), D("-0.10")
    assert score(gain, D("0.05")) == gain / D("0.05")
    assert score(gain, D(0)) == gain / F  # no drawdown: the 1% floor, no division by zero
    assert score(gain, D("0.004")) == gain / F
    assert score(loss, D("0.25")) == loss * D("0.25") / (F * F)
    assert score(loss, D(0)) == loss * F / (F * F) == loss / F  # at the floor both read R / f
    assert score(D(0), D("0.3")) == 0
    # a deeper drawdown never helps: lower score for a gain and for a loss alike
    assert score(gain, D("0.10")) < score(gain, D("0.05"))
    assert score(loss, D("0.50")) < score(loss, D("0.10"))


def test_equity_is_cash_plus_holdings_at_their_marks() -> None:
    fills = [
        FillView(T0, "BTCUSDT", "BUY", D("0.1"), D(40_000), D(4_000), D(4), "taker", D(0), 1, 1),
        FillView(T0, "BTCUSDT", "SELL", D("0.04"), D(41_000), D(1_640), D("1.64"), "maker", D(0), 2, 1),
    ]
    cash, held = positions_after(fills, S)
    assert cash == S - (D(4_000) + D(4)) + (D(1_640) - D("1.64"))
    assert held == {"BTCUSDT": D("0.1") - D("0.04")}
    assert equity_at(cash, held, {"BTCUSDT": D(42_000)}) == cash + (D("0.1") - D("0.04")) * D(42_000)
    with pytest.raises(InvalidInput):
        equity_at(cash, held, {})


def test_ranking_by_score_with_the_minimum_trades() -> None:
    rows = standings(
        [
            result(1, "11000", "0.05"),  # R 0.10, score 0.10 / 0.05 = 2
            result(2, "12000", "0.20"),  # R 0.20, score 0.20 / 0.20 = 1
            result(3, "10500", "0"),  # R 0.05, score 0.05 / 0.01 = 5
            result(4, "20000", "0", trades=2),  # the best numbers, but too few trades
            result(5, "9000", "0.10"),  # R -0.10, score -0.10 x 0.10 / 0.0001 = -100
        ],
        "score",
        min_trades=3,
    )
    assert [(r.entry_id, r.rank) for r in rows] == [(3, 1), (1, 2), (2, 3), (5, 4), (4, None)]
    assert rows[0].score == (D(10_500) - S) / S / F
    assert rows[3].score == (D(9_000) - S) / S * D("0.10") / (F * F)
    assert rows[-1].reason == "2 of the 3 trades needed to be ranked" and not rows[-1].ranked


def test_ranking_by_return_breaks_ties_on_score_then_fewer_trades() -> None:
    rows = standings(
        [
            result(1, "11000", "0.10", trades=4),  # R 0.10, score 1
            result(2, "11000", "0.05", trades=9),  # R 0.10, score 2: ahead of 1 on score
            result(3, "11000", "0.10", trades=3),  # as 1 but fewer trades: ahead of 1
            result(4, "12000", "0.50"),
        ],
        "return",
    )
    assert [(r.entry_id, r.rank) for r in rows] == [(4, 1), (2, 2), (3, 3), (1, 4)]


def test_exact_ties_share_a_rank_and_are_listed_by_join_time() -> None:
    rows = standings(
        [
            result(1, "11000", "0.05", trades=5, joined=30),
            result(2, "11000", "0.05", trades=5, joined=10),  # the same numbers, joined earlier
            result(3, "12000", "0.05"),
            result(4, "10000", "0"),
        ],
        "score",
    )
    # standard competition ranking: 1, 2, 2, 4
    assert [(r.entry_id, r.rank) for r in rows] == [(3, 1), (2, 2), (1, 2), (4, 4)]


def test_an_unknown_ordering_is_refused() -> None:
    with pytest.raises(InvalidInput, match="score' or 'return"):
        standings([], "sharpe")  # type: ignore[arg-type]


def test_the_rules_are_stated_in_both_languages_with_the_same_formula() -> None:
    from sim.domain.ranking import SCORE_RULE, TIE_RULE, rules

    assert rules("en") == (SCORE_RULE, TIE_RULE) and rules("fr") == rules("en")
    for en, ko in zip(rules("en"), rules("ko"), strict=True):
        assert any("\uac00" <= c <= "\ud7a3" for c in ko)
        for formula in ("R = (", "D = ", "max(D, 1%)", "R / d", "R x d / (1%)^2", "(1, 2, 2, 4)"):
            assert (formula in en) == (formula in ko), formula
