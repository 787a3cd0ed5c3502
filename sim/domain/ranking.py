"""A competition's standings as formulas (pure, Decimal): return, drawdown, score, ranks.

Definitions (``S`` the starting balance, ``f`` = :data:`SCORE_FLOOR` = 1%):

- **Equity** at a time ``t``: cash + sum of quantity x mark over the symbols held, where cash and
  quantities are the starting balance changed by every fill made at or before ``t`` (a BUY costs
  ``total_amount + fee``, a SELL brings ``total_amount - fee``: the ledger's own rule) and a mark
  is the symbol's price as of ``t`` (:func:`equity_at`).
- **Samples** (the equity curve a drawdown is read from): the season's start (equity ``S``), every
  hourly candle close after it up to the end (or now while it runs), and the end itself. The
  service layer gives the marks of each sample (:mod:`sim.standings`).
- **Return** ``R = (E - S) / S`` with ``E`` the equity of the last sample.
- **Maximum drawdown** ``D = max_t (P_t - E_t) / P_t`` with ``P_t`` the highest equity sampled up
  to ``t``; 0 when equity never fell (:func:`max_drawdown`).
- **Score** with ``d = max(D, f)``: ``R / d`` for a gain or nothing (``R >= 0``, return over
  maximum drawdown), ``R x d / f^2`` for a loss. Both read ``R / f`` at the floor; above it a
  deeper drawdown shrinks a gain's score and deepens a loss's, so risk never helps a loser (with
  ``R / d`` for every entry a deeper drawdown would lift a loss towards 0). The floor keeps an
  entry that never fell from dividing by zero.
- **Trades**: orders with at least one fill (a market order that walked the book counts once).
- **Ranked** when ``trades >= min_trades``; the others are listed after the ranked ones, unranked,
  with the reason.
- **Order and ties**, :func:`standings`: by score: score, then return (higher first), then fewer
  trades; by return: return, then score, then fewer trades. Entries equal on all three share a
  rank ("standard competition ranking": 1, 2, 2, 4) and are listed by join time (earlier first),
  then entry id; joining early is no merit, so it orders the list but never the rank.

Decimal with the default context (28 significant digits): equal inputs give equal results, so two
entries with the same fills tie exactly (floats could part them in the last bit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol

from sim.domain.errors import InvalidInput

SCORE_FLOOR = Decimal("0.01")
ZERO = Decimal(0)
Ordering = Literal["score", "return"]

SCORE_RULE = (
    "Return R = (equity at the end - starting balance) / starting balance. Maximum drawdown D = "
    "the largest fall of equity from its highest point so far, as a fraction of that point "
    "(equity marked at the start, at every hourly close and at the end). With d = max(D, 1%): "
    "score = R / d for a gain, R x d / (1%)^2 for a loss, so a deeper drawdown lowers the score "
    "either way."
)
TIE_RULE = (
    "By score: higher score first, then higher return, then fewer trades. By return: higher return "
    "first, then higher score, then fewer trades. Entries equal on all three share a rank "
    "(1, 2, 2, 4) and are listed by who joined first. A trade is an order that filled; entries "
    "with fewer trades than the minimum are listed after the ranked ones, without a rank."
)

#: the same two rules in Korean (the competition page shows them in the reader's language)
SCORE_RULE_KO = (
    "수익률 R = (종료 시 평가자산 - 시작 잔고) / 시작 잔고. 최대 낙폭 D = 평가자산이 그때까지의 최고점에서 "
    "가장 크게 떨어진 폭을 그 최고점에 대한 비율로 나타낸 것 (평가자산은 시작 시점, 매 1시간 봉 종가, 종료 "
    "시점에 잽니다). d = max(D, 1%)일 때: 이익이면 점수 = R / d, 손실이면 R x d / (1%)^2 이므로, 낙폭이 "
    "깊을수록 어느 쪽이든 점수가 낮아집니다."
)
TIE_RULE_KO = (
    "점수 기준: 점수가 높은 순, 같으면 수익률이 높은 순, 그다음 거래 수가 적은 순. 수익률 기준: 수익률이 "
    "높은 순, 같으면 점수가 높은 순, 그다음 거래 수가 적은 순. 세 가지가 모두 같으면 같은 순위를 받고 "
    "(1, 2, 2, 4) 먼저 참가한 순으로 나열됩니다. 거래는 체결된 주문 하나이며, 최소 거래 수에 못 미친 "
    "참가자는 순위 없이 순위권 아래에 나열됩니다."
)
RULES = {"en": (SCORE_RULE, TIE_RULE), "ko": (SCORE_RULE_KO, TIE_RULE_KO)}


def rules(lang: str = "en") -> tuple[str, str]:
    """The score rule and the tie rule in ``lang`` (``en`` or ``ko``; English for any other)."""
    return RULES.get(lang, RULES["en"])


class FillLike(Protocol):
    """A fill as the formulas read it (``sim.views.FillView`` and ledger rows qualify)."""

    @property
    def symbol(self) -> str: ...

    @property
    def side(self) -> str: ...

    @property
    def quantity(self) -> Decimal: ...

    @property
    def total_amount(self) -> Decimal: ...

    @property
    def fee(self) -> Decimal: ...


def total_return(starting: Decimal, equity: Decimal) -> Decimal:
    """``(equity - starting) / starting``; the starting balance is positive."""
    if starting <= 0:
        raise InvalidInput.of("ranking.balance_not_positive", starting=starting)
    return (equity - starting) / starting


def max_drawdown(equities: Iterable[Decimal]) -> Decimal:
    """The largest ``(peak - equity) / peak`` along the samples, peak the highest so far; 0 when
    equity never fell (or there is no sample). A peak of 0 or less (nothing left) counts as a
    drawdown of 1 from there on."""
    peak: Decimal | None = None
    worst = ZERO
    for e in equities:
        if peak is None or e > peak:
            peak = e
            continue
        fall = Decimal(1) if peak <= 0 else (peak - e) / peak
        worst = max(worst, fall)
    return worst


def score(ret: Decimal, drawdown: Decimal, floor: Decimal = SCORE_FLOOR) -> Decimal:
    """``R / d`` for ``R >= 0``, ``R x d / floor^2`` for a loss, ``d = max(drawdown, floor)``."""
    d = max(drawdown, floor)
    return ret / d if ret >= 0 else ret * d / (floor * floor)


def positions_after(fills: Iterable[FillLike], starting: Decimal) -> tuple[Decimal, dict[str, Decimal]]:
    """Cash and quantity per symbol after ``fills`` (in order), starting from ``starting`` cash."""
    cash = starting
    held: dict[str, Decimal] = {}
    for f in fills:
        buy = str(f.side).upper() == "BUY"
        cash += -(f.total_amount + f.fee) if buy else f.total_amount - f.fee
        held[f.symbol] = held.get(f.symbol, ZERO) + (f.quantity if buy else -f.quantity)
    return cash, held


def equity_at(cash: Decimal, held: Mapping[str, Decimal], marks: Mapping[str, Decimal]) -> Decimal:
    """``cash + sum(quantity x mark)``; a held symbol without a mark is refused (the caller marks
    every symbol it holds, see :mod:`sim.standings`)."""
    total = cash
    for symbol, qty in held.items():
        if qty == 0:
            continue
        if symbol not in marks:
            raise InvalidInput.of("ranking.no_price", symbol=symbol)
        total += qty * marks[symbol]
    return total


@dataclass(frozen=True, slots=True)
class Result:
    """One entry's numbers before ranking."""

    entry_id: int
    name: str
    joined_at: datetime
    starting: Decimal
    equity: Decimal
    max_drawdown: Decimal
    trades: int

    @property
    def ret(self) -> Decimal:
        return total_return(self.starting, self.equity)

    @property
    def score(self) -> Decimal:
        return score(self.ret, self.max_drawdown)


@dataclass(frozen=True, slots=True)
class Standing:
    """One row of a leaderboard: ``rank`` is None for an unranked entry, with ``reason`` saying why."""

    rank: int | None
    entry_id: int
    name: str
    ret: Decimal
    max_drawdown: Decimal
    score: Decimal
    trades: int
    equity: Decimal
    joined_at: datetime
    reason: str = ""

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def _key(r: Result, by: Ordering) -> tuple[Decimal, Decimal, int]:
    """What decides the rank (lower sorts first)."""
    first, second = (r.score, r.ret) if by == "score" else (r.ret, r.score)
    return (-first, -second, r.trades)


def standings(results: Sequence[Result], by: Ordering = "score", min_trades: int = 0) -> list[Standing]:
    """The leaderboard of ``results`` ordered ``by`` score or return (see the module docstring)."""
    if by not in ("score", "return"):
        raise InvalidInput.of("ranking.order_by", by=by)
    ordered = sorted(results, key=lambda r: (*_key(r, by), r.joined_at, r.entry_id))
    ranked = [r for r in ordered if r.trades >= min_trades]
    rows: list[Standing] = []
    for i, r in enumerate(ranked):
        same = i > 0 and _key(ranked[i - 1], by) == _key(r, by)
        rank = rows[-1].rank if same else i + 1
        rows.append(_row(r, rank, ""))
    for r in ordered:
        if r.trades < min_trades:
            why = f"{r.trades} of the {min_trades} trades needed to be ranked"
            rows.append(_row(r, None, why))
    return rows


def _row(r: Result, rank: int | None, reason: str) -> Standing:
    return Standing(
        rank, r.entry_id, r.name, r.ret, r.max_drawdown, r.score, r.trades, r.equity, r.joined_at, reason
    )
