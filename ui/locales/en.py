"""English texts of the app shell, login, errors and Settings (today's wording, kept exactly:
tests compare some of these strings)."""

MESSAGES: dict[str, str] = {
    # the app shell (app.py)
    "app.title": "Crypto paper trading",
    "nav.dashboard": "Dashboard",
    "nav.trading": "Trading",
    "nav.portfolio": "Portfolio",
    "nav.assistant": "AI Assistant",
    "nav.backtest": "Backtest lab",
    "nav.competitions": "Competitions",
    "nav.reports": "Reports",
    "nav.settings": "Settings",
    "nav.login": "Log in",
}
