"""English texts of the AI Assistant and Reports pages (today's wording, kept exactly: tests
compare these strings). The chat's own replies live in :mod:`sim.assistant.replies`."""

MESSAGES: dict[str, str] = {
    # the AI Assistant page (app_pages/assistant.py)
    "ai.intro": (
        "Direction forecasts from XGBoost models validated walk-forward against simple baselines, a plain "
        "reading of the market, and a chat that answers from your account. Forecasts are probabilities, "
        "not advice; the chat never trades without your confirmation."
    ),
    "ai.symbol": "Symbol",
    "ai.horizon": "Horizon",
    "ai.hours": "{hours} h",
    "ai.prediction": "Prediction",
    "ai.probability": "P({name})",
    "ai.most_likely": "Most likely",
    "ai.confidence": "{level} confidence",
    "ai.level.low": "low",
    "ai.level.medium": "medium",
    "ai.level.high": "high",
    "ai.most_likely_note": "**Most likely: {label}** — {note}.",
    "ai.forecast_caption": (
        "{symbol}, the {hours} h after {as_of} UTC (until {until}). 'Flat' = a move within ±{band}. "
        "Model {model}: {accuracy}{skill}."
    ),
    "ai.no_candles": "No closed 1h candles for {symbol} yet.",
    "ai.analysis": "Market analysis",
    "ai.trend": "Trend",
    "ai.momentum": "Momentum",
    "ai.rsi": "RSI(14)",
    "ai.volatility": "Volatility",
    "ai.annualized": "{pct} annualized",
    "ai.col_kind": "Kind",
    "ai.col_price": "Price",
    "ai.col_touches": "Touches",
    "ai.col_definition": "Definition",
    "ai.support": "Support",
    "ai.resistance": "Resistance",
    "ai.every_number": "Every number and its definition",
    "ai.col_number": "Number",
    "ai.col_value": "Value",
    "ai.track_record": "Live track record",
    "ai.not_scored": (
        "No {symbol} {hours} h forecast has been scored yet ({pending} pending): a forecast "
        "is scored once its horizon has passed and its candles are in the history."
    ),
    "ai.col_predictor": "predictor",
    "ai.col_hit_rate": "hit rate",
    "ai.col_brier": "Brier",
    "ai.model": "model",
    "ai.baseline": "{name} (baseline)",
    "ai.record_caption": (
        "{scored} scored, {pending} pending, {void} void (data gap). Hit rate: {hit_rate}. Brier: {brier}."
    ),
    "ai.chat": "Chat",
    "ai.confirm": "Confirm",
    "ai.ask": (
        "Ask: price of bitcoin, forecast ETH 4h, why did I lose money on SOL, buy 0.01 BTC, "
        "비트코인 0.01개 사줘"
    ),
    # the Reports page (app_pages/reports.py)
    "rep.built": "Report {day} built.",
    "rep.nothing": "No trades yet on this account: nothing to report.",
    "rep.build": "Build my report now",
    "rep.build_help": (
        "Builds (or rebuilds) today's report from your trades so far; the daily job builds one every day."
    ),
    "rep.no_such": "You have no report {asked}.",
    "rep.empty": (
        "No reports yet. A report is built every day for each account with trades (equity against "
        "holding BTC, statistics, fees, trades and the forecast track record); build yours now with "
        "the button above."
    ),
    "rep.pick": "Report",
    "rep.pick_help": "One report per day, newest first.",
    "rep.built_at": "Built {at} UTC · {size} kB",
    "rep.download": "Download HTML",
}
