"""English texts of the forecast beside a chart and the live track record panel (``ui.widgets``).

The twin of :mod:`ui.locales.ko_forecast`; the words about the model (accuracy, skill, pooled label,
disclosure) come from ``sim`` in the session's language and are passed in as ``{fields}``.
"""

MESSAGES: dict[str, str] = {
    "fc.hourly_only": "Forecasts are drawn on 1h charts (the models are hourly).",
    "fc.none": "No forecast: {error}",
    "fc.caption": "Forecast {hours}h ahead: **{label} ({p})**{note}. The model: {accuracy}{skill}.",
    "fc.note": " — **{note}**",
    "fc.record_title": "**Live track record** ({symbol}, {hours} h)",
    "fc.not_scored": (
        "No forecast scored yet ({pending} pending): a forecast is scored once its horizon has passed "
        "and its candles are in the history."
    ),
    "fc.record_caption": "{scored} scored, {pending} pending. Hit rate: {hit_rate}. Brier: {brier}.",
}
