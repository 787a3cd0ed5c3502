"""The words the rule-based intents look for (English and a few other languages; Korean is in
:mod:`sim.assistant.korean`, which reads a Korean message into these words).

Assumption: the words are matched after :func:`sim.assistant.text.normalize` (lower case, NFKC), so
every entry is lower case.
"""

from __future__ import annotations

from decimal import Decimal

BUY_WORDS = frozenset(
    {"buy", "buys", "buying", "purchase", "purchace", "acquire", "kaufen", "kaufe", "kauf", "acheter"}
    | {"achete", "achète", "comprar", "compra", "compre", "compro", "купить", "купи", "شراء", "اشتري"}
    | {"खरीदें", "खरीदो", "koop", "kopen"}
)
SELL_WORDS = frozenset(
    {"sell", "sells", "selling", "liquidate", "verkaufen", "verkaufe", "vendre", "vends", "vendez"}
    | {"vender", "vende", "vendo", "продать", "продай", "بيع", "بع", "बेचें", "बेचो", "verkoop"}
)
#: typos that only count as the first word of a request
SHORT_BUY = frozenset({"by", "bye", "buyy", "buuy", "biy", "bui", "buu", "bay"})
SHORT_SELL = frozenset({"sel", "selll", "seel", "sall", "sel."})
POLITE = frozenset(
    {"please", "pls", "plz", "can", "could", "would", "you", "u", "i", "i'd", "id", "want", "wanna"}
    | {"to", "like", "let", "lets", "let's", "me", "go", "ahead", "and", "ok", "okay", "now", "then"}
    | {"hi", "hey", "hello", "kindly", "just", "also", "d", "s", "love"}
)
LOSS_WORDS = frozenset(
    {"lose", "lost", "losing", "loss", "losses", "loose", "loosing", "lossing", "verloren", "perdu"}
    | {"perdí", "perdi", "perdido", "perte", "pérdida", "خسرت", "خسارة"}
)
FRACTIONS: dict[str, Decimal] = {
    "half": Decimal("0.5"),
    "mitad": Decimal("0.5"),
    "moitié": Decimal("0.5"),
    "moitie": Decimal("0.5"),
    "hälfte": Decimal("0.5"),
    "halfte": Decimal("0.5"),
    "third": Decimal(1) / Decimal(3),
    "quarter": Decimal("0.25"),
    "all": Decimal(1),
    "everything": Decimal(1),
    "entire": Decimal(1),
    "whole": Decimal(1),
    "max": Decimal(1),
    "alles": Decimal(1),
    "tout": Decimal(1),
    "todo": Decimal(1),
}
CASH_WORDS = frozenset({"cash", "usdt", "balance", "money", "funds", "dollars"})

INDICATOR_WORDS: dict[str, str] = {
    "rsi": "rsi",
    "overbought": "rsi",
    "oversold": "rsi",
    "macd": "macd",
    "bollinger": "bollinger",
    "bb": "bollinger",
    "bands": "bollinger",
    "volatility": "volatility",
    "volatile": "volatility",
    "rv": "volatility",
    "sma": "sma",
    "ema": "sma",
    "momentum": "momentum",
    "trend": "trend",
    "support": "levels",
    "resistance": "levels",
    "levels": "levels",
    "volume": "volume",
    "brier": "brier",
    "baseline": "baseline",
    "baselines": "baseline",
    "band": "band",
}
#: indicator words that, with a symbol and no "what is" cue, ask for the market analysis instead
ANALYSIS_INDICATORS = frozenset({"trend", "momentum", "levels", "volatility"})
DEFINE_CUES = frozenset(
    {"what", "whats", "mean", "means", "meaning", "explain", "define", "definition", "computed"}
    | {"calculated", "calculate", "understand", "qué", "que", "was", "bedeutet", "signifie", "कया", "ما"}
)
TRACK_WORDS = ("accuracy", "accurate", "reliable", "track", "record", "hit", "brier", "precision")
FORECAST_WORDS = ("forecast", "forecasts", "predict", "prediction", "predictions", "outlook", "prévision")
FORECAST_WORDS_EXTRA = ("prevision", "vorhersage", "prognose", "pronóstico", "pronostico", "توقع", "पूर्वानुमान")
ANALYSIS_WORDS = ("analysis", "analyse", "analyze", "analysis", "technical", "technicals", "análisis")
PORTFOLIO_WORDS = (
    "portfolio",
    "portfolios",
    "balance",
    "balances",
    "holdings",
    "holding",
    "positions",
    "position",
    "pnl",
    "equity",
    "account",
    "wallet",
    "profit",
    "profits",
    "performance",
    "cartera",
    "portefeuille",
    "depot",
)
PRICE_WORDS = (
    "price",
    "prices",
    "cost",
    "costs",
    "quote",
    "worth",
    "trading",
    "preis",
    "prix",
    "precio",
    "سعر",
    "цена",
    "कीमत",
    "rate",
    "value",
)
HELP_WORDS = ("help", "commands", "options", "hilfe", "aide", "ayuda", "features")
GREETING_WORDS = (
    "hi",
    "hello",
    "hey",
    "hiya",
    "howdy",
    "yo",
    "hola",
    "salut",
    "bonjour",
    "hallo",
    "ciao",
    "namaste",
    "morning",
    "evening",
    "afternoon",
    "thanks",
    "thank",
    "مرحبا",
    "السلام",
    "привет",
    "नमस्ते",
    "greetings",
    "sup",
)
