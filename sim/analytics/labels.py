"""Human names of the backtest statistics, fill models and table columns, for tables and charts,
in English and Korean (pure).

Assumptions: any statistic not listed reads well enough as its name with ``_`` as spaces,
capitalised (``max_drawdown_duration`` -> "Max drawdown duration"), in every language; English is
:data:`STATS` / :data:`FILL_MODELS` (unchanged), Korean is :data:`WORDS`' ``"ko"`` (the app's
catalogs take their ``stat.*`` / ``fill.*`` texts from here). Column names (``col.<name>``) are
the lab tables' raw columns; :func:`column` gives None for English and for an unknown column, so
the caller keeps its own English rule.
"""

from __future__ import annotations

from sim.domain.words import say

STATS = {
    "start": "Start",
    "end": "End",
    "bars": "Candles",
    "periods_per_year": "Candles per year",
    "start_equity": "Starting equity (USDT)",
    "final_equity": "Final equity (USDT)",
    "final_equity_exact": "Final equity, exact (USDT)",
    "total_return": "Total return",
    "cagr": "Annual growth (CAGR)",
    "volatility": "Volatility (annualized)",
    "sharpe": "Sharpe ratio",
    "sortino": "Sortino ratio",
    "calmar": "Calmar ratio",
    "max_drawdown": "Max drawdown",
    "max_drawdown_duration": "Longest drawdown",
    "trades": "Round trips",
    "fills": "Fills",
    "win_rate": "Win rate",
    "profit_factor": "Profit factor",
    "average_win": "Average win (USDT)",
    "average_loss": "Average loss (USDT)",
    "fees_paid": "Fees paid (USDT)",
    "exposure_time": "Time in the market",
    "benchmark_return": "Buy and hold return",
    "excess_return": "Return above buy and hold",
    "alpha": "Alpha (annualized)",
    "beta": "Beta",
    "skipped_orders": "Orders refused",
}
FILL_MODELS = {"default": "Default fills", "pessimistic": "Pessimistic fills"}
#: statistics that are fractions (0.12 = 12%): charts show them in percent, as the tables do
PERCENT = {
    "total_return",
    "cagr",
    "volatility",
    "max_drawdown",
    "win_rate",
    "exposure_time",
    "benchmark_return",
    "excess_return",
    "alpha",
}


KO_STATS = {
    "start": "시작",
    "end": "종료",
    "bars": "캔들 수",
    "periods_per_year": "연간 캔들 수",
    "start_equity": "시작 평가자산 (USDT)",
    "final_equity": "최종 평가자산 (USDT)",
    "final_equity_exact": "최종 평가자산, 정확값 (USDT)",
    "total_return": "총 수익률",
    "cagr": "연평균 성장률 (CAGR)",
    "volatility": "변동성 (연율화)",
    "sharpe": "샤프 비율",
    "sortino": "소르티노 비율",
    "calmar": "칼마 비율",
    "max_drawdown": "최대 낙폭",
    "max_drawdown_duration": "최장 낙폭 기간",
    "trades": "왕복 거래",
    "fills": "체결",
    "win_rate": "승률",
    "profit_factor": "손익비 (Profit factor)",
    "average_win": "평균 이익 (USDT)",
    "average_loss": "평균 손실 (USDT)",
    "fees_paid": "지불한 수수료 (USDT)",
    "exposure_time": "시장 참여 시간",
    "benchmark_return": "보유 전략(바이 앤 홀드) 수익률",
    "excess_return": "보유 전략 대비 초과 수익률",
    "alpha": "알파 (연율화)",
    "beta": "베타",
    "skipped_orders": "거부된 주문",
}
KO_FILL_MODELS = {"default": "기본 체결", "pessimistic": "비관적 체결"}
#: the lab tables' raw columns (trades, refused orders, paper vs backtest): English as ui.format
#: writes them today, Korean beside
COLUMNS = {
    "time": ("Time (UTC)", "시각 (UTC)"),
    "symbol": ("Symbol", "종목"),
    "side": ("Side", "매수/매도"),
    "qty": ("Qty", "수량"),
    "price": ("Price", "가격"),
    "fee": ("Fee (USDT)", "수수료 (USDT)"),
    "notional": ("Notional (USDT)", "거래대금 (USDT)"),
    "realized_pnl": ("Realized PnL", "실현 손익"),
    "cash_after": ("Cash after", "체결 후 현금"),
    "signal_time": ("Signal time", "신호 시각"),
    "reason": ("Reason", "사유"),
    "bar_time": ("Bar time", "캔들 시각"),
    "paper_price": ("Paper price", "모의거래 가격"),
    "paper_fee": ("Paper fee", "모의거래 수수료"),
    "fill_time": ("Fill time", "체결 시각"),
    "paper_ref": ("Paper ref", "모의거래 기준가"),
    "backtest_ref": ("Backtest ref", "백테스트 기준가"),
    "backtest_qty": ("Backtest qty", "백테스트 수량"),
    "backtest_price": ("Backtest price", "백테스트 가격"),
    "backtest_fee": ("Backtest fee", "백테스트 수수료"),
    "timing": ("Timing", "타이밍"),
    "quantity": ("Quantity", "수량 차이"),
    "total": ("Total", "합계"),
    "status": ("Status", "상태"),
}
WORDS: dict[str, dict[str, str]] = {
    "en": {
        **{f"stat.{k}": v for k, v in STATS.items()},
        **{f"fill.{k}": v for k, v in FILL_MODELS.items()},
        **{f"col.{k}": en for k, (en, _) in COLUMNS.items()},
    },
    "ko": {
        **{f"stat.{k}": v for k, v in KO_STATS.items()},
        **{f"fill.{k}": v for k, v in KO_FILL_MODELS.items()},
        **{f"col.{k}": ko for k, (_, ko) in COLUMNS.items()},
    },
}


def _named(kind: str, name: str, lang: str) -> str:
    key = f"{kind}.{name}"
    return say(WORDS, lang, key) if key in WORDS["en"] else name.replace("_", " ").capitalize()


def stat(name: str, lang: str = "en") -> str:
    """A statistic's name for people in ``lang`` (English: :data:`STATS`)."""
    return _named("stat", name, lang)


def fill_model(name: str, lang: str = "en") -> str:
    """A fill model's name for people in ``lang`` (English: :data:`FILL_MODELS`)."""
    return _named("fill", name, lang)


def column(name: object, lang: str) -> str | None:
    """A lab table column's header in ``lang``; None in English or for a column not listed."""
    key = f"col.{name}"
    return WORDS[lang][key] if lang != "en" and key in WORDS.get(lang, {}) else None
