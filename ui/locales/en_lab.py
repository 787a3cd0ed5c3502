"""English texts of the Backtest lab page and of its statistics tables (today's wording, kept
exactly: tests compare these strings). The statistic and fill-model names are the ones of
:mod:`sim.analytics.labels`, taken from there so English cannot drift."""

from sim.analytics.labels import FILL_MODELS, STATS

MESSAGES: dict[str, str] = {
    "lab.intro": (
        "Run a strategy on past candles through the same fill, fee and exchange rules as paper trading. "
        "A decision on a candle's close fills at the next candle's open plus slippage, taker fee."
    ),
    # inputs
    "lab.symbols": "Symbols (they share one cash balance)",
    "lab.from": "From",
    "lab.to": "To (exclusive)",
    "lab.interval": "Interval",
    "lab.strategy": "Strategy",
    "lab.strategy.ma_crossover": "MA crossover",
    "lab.strategy.rsi_reversion": "RSI mean reversion",
    "lab.strategy.forecast": "XGBoost forecast",
    "lab.fast": "Fast MA (candles)",
    "lab.slow": "Slow MA (candles)",
    "lab.rsi_window": "RSI window",
    "lab.buy_below": "Buy below",
    "lab.sell_above": "Sell above",
    "lab.horizon": "Forecast horizon (bars)",
    "lab.enter": "Enter when P(up) >",
    "lab.exit": "Exit when P(down) >",
    "lab.train_days": "Train on the days before From",
    "lab.train_days_help": "The train window. The model never sees a candle from From on.",
    "lab.wf_caption": (
        "Walk-forward, out of sample: a fresh XGBoost model (the project's features, labels and "
        "parameters) is trained on each symbol's 1h candles of the {days} days before From, "
        "then trades From to To only; the stats below are that test window's. {gap}"
    ),
    "lab.wf_gap_one": (
        "The last candle before From is left out of training, so no training label looks into the "
        "test window."
    ),
    "lab.wf_gap_many": (
        "The last {n} candles before From are left out of training, so no training label looks into the "
        "test window."
    ),
    "lab.fill_box": "Fill assumptions and cash",
    "lab.fee": "Taker fee rate",
    "lab.slippage": "Slippage (bps)",
    "lab.cash": "Starting cash (USDT)",
    "lab.trail": "Trailing stop (bps, one symbol)",
    "lab.trail_placeholder": "none",
    "lab.trail_help": "Protect each position with a trailing stop, as a paper trader would: 150 = 1.5%.",
    "lab.pessimistic_note": (
        "The sensitivity view also runs the pessimistic twin: buys at the high, sells at the low, "
        "10 bp slippage, fees x2."
    ),
    "lab.run": "Run backtest",
    "lab.busy": "Backtesting...",
    # results
    "lab.tab_results": "Results",
    "lab.tab_sensitivity": "Fill sensitivity",
    "lab.tab_paper": "Paper vs backtest",
    "lab.no_run": "Choose the inputs above and run a backtest.",
    "lab.on_candles": "{symbols} on {interval} candles.",
    "lab.in_sample": (
        "{share} of the forecasts are for candles the model was trained on (in-sample): the result "
        "flatters the model."
    ),
    "lab.final_equity": "Final equity (USDT)",
    "lab.total_return": "Total return",
    "lab.buy_and_hold": "Buy and hold",
    "lab.max_drawdown": "Max drawdown",
    "lab.statistic": "Statistic",
    "lab.value": "Value",
    "lab.trades_of": "Trades on the candles of",
    "lab.candles_title": "{symbol}, {interval} candles",
    "lab.fills": "Fills ({n})",
    "lab.refused": "Orders the exchange rules refused ({n})",
    "lab.no_run_sensitivity": "Run a backtest to compare fill models.",
    "lab.sensitivity_note": (
        "The same decisions traded under the default fills and a pessimistic model (buys at the "
        "next candle's high, sells at its low, 10 bp slippage, fees doubled). An edge that only "
        "survives the default column comes from the fill assumptions."
    ),
    # paper vs backtest
    "lab.paper_note": (
        "Your own paper fills (active account) replayed by the backtester: each fill becomes a "
        "decision on its candle, filled at the next candle's open with your fee and slippage."
    ),
    "lab.candles": "Candles",
    "lab.no_paper": "No paper fills in a closed candle yet: trade on the Trading page, then come back.",
    "lab.minus_paper": "Backtest minus paper",
    "lab.fees": "Fees",
    "lab.slippage_price": "Slippage and price",
    "lab.timing": "Timing",
    # statistics and fill models (ui/format.py stats_table)
    **{f"stat.{name}": text for name, text in STATS.items()},
    **{f"fill.{name}": text for name, text in FILL_MODELS.items()},
}
