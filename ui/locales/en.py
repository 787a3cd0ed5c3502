"""English texts of the app shell, login, errors, the account switcher and Settings (today's
wording, kept exactly: tests compare some of these strings)."""

MESSAGES: dict[str, str] = {
    # the app shell (app.py)
    "app.title": "Crypto paper trading",
    "app.wont_start": "The app will not start: {error}",
    "nav.dashboard": "Dashboard",
    "nav.trading": "Trading",
    "nav.portfolio": "Portfolio",
    "nav.assistant": "AI Assistant",
    "nav.backtest": "Backtest lab",
    "nav.competitions": "Competitions",
    "nav.reports": "Reports",
    "nav.settings": "Settings",
    "nav.login": "Log in",
    "sidebar.signed_in_as": "Signed in as {name}",
    "sidebar.logout": "Log out",
    "sidebar.feed": "feed {status}: {live}/{total} live",
    "sidebar.market_time": "Market time {time} UTC",
    "feed.live": "live",
    "feed.delayed": "delayed",
    "feed.stale": "stale",
    # the error boundary (ui/errors.py)
    "errors.apology": (
        "Sorry, something went wrong on our side and this page could not finish. Try again; if it "
        "keeps happening, tell the administrator the error id {error_id}."
    ),
    # the trading-account switcher (ui/accounts.py)
    "accounts.trading_account": "Trading account",
    "accounts.mine": "My account",
    "accounts.entry": "{name} · season {season}",
    "accounts.starts": "starts {when} UTC",
    "accounts.ends": "ends {when} UTC",
    "accounts.ended": "ended {when} UTC",
    "accounts.caption": "Competition account: {line}",
    "accounts.banner": (
        "Competition account: **{label}**. Orders, holdings and fills on this page are this "
        "account's; switch to your own account in the sidebar."
    ),
    # logging in and registering (ui/auth.py)
    "auth.ended": "Your session has ended (logged out, password changed or expired): please log in again.",
    "auth.please_log_in": "Please log in to see this page.",
    "auth.passwords_differ": "The two passwords differ.",
    "auth.welcome": "Welcome, {username}: your account starts with a virtual 100,000 USDT.",
    "auth.tagline": (
        "Trade Binance spot symbols on real prices with a virtual 100,000 USDT. No money at risk."
    ),
    "auth.log_in": "Log in",
    "auth.register": "Register",
    "auth.username": "Username",
    "auth.password": "Password",
    "auth.create_account": "Create an account",
    "auth.new_username": "New username",
    "auth.username_help": "3-32 letters, digits, '_', '.', '-'",
    "auth.display_optional": "Display name (optional)",
    "auth.choose_password": "Choose a password",
    "auth.password_help": "8 to 72 bytes",
    "auth.repeat_password": "Repeat the password",
    # Settings (app_pages/settings.py)
    "settings.profile": "Profile",
    "settings.display_name": "Display name",
    "settings.save_profile": "Save profile",
    "settings.profile_saved": "Profile saved.",
    "settings.change_password": "Change password",
    "settings.current_password": "Current password",
    "settings.new_password": "New password",
    "settings.repeat_new_password": "Repeat the new password",
    "settings.new_passwords_differ": "The two new passwords differ.",
    "settings.password_changed": "Password changed.",
    "settings.costs": "Trading costs",
    "settings.costs_caption": (
        "Practise under other costs: fees from 0 to 1%, slippage from 0 to 100 basis points."
    ),
    "settings.maker_fee": "Maker fee (%)",
    "settings.taker_fee": "Taker fee (%)",
    "settings.slippage": "Slippage (bps)",
    "settings.save_costs": "Save costs",
    "settings.costs_saved": "Costs saved; they apply to your next orders.",
    "settings.reset": "Reset the account",
    "settings.reset_caption": (
        "Start again with a fresh virtual balance. The current account is archived with its history, "
        "and its open orders are canceled."
    ),
    "settings.reset_confirm": "Yes, archive my account and start again",
    "settings.reset_button": "Reset account",
    "settings.reset_done": "A fresh account with {cash} USDT is ready.",
    # Settings: the watchlist (ui/watchlist_settings.py)
    "wl.title": "Watchlist",
    "wl.caption": (
        "Symbols you follow besides {everyone} (everyone's): they come first in every symbol picker "
        "and get a price tile on the Dashboard. At most {limit} symbols; {count} can be traded here."
    ),
    "wl.add": "Add a symbol",
    "wl.placeholder": "Type to search {count} symbols, e.g. DOGE",
    "wl.add_button": "Add to watchlist",
    "wl.pick_first": "Type or pick a symbol first, e.g. DOGEUSDT.",
    "wl.added": "{symbol} is on your watchlist.",
    "wl.empty": "Nothing on your watchlist yet.",
    "wl.not_tradable": " (no longer tradable here)",
    "wl.remove": "Remove",
    "wl.removed": "{symbol} was removed from your watchlist.",
    # Settings: fill notifications (ui/webhook_settings.py)
    "hook.title": "Fill notifications",
    "hook.caption": (
        "Get a POST to your own address for each fill and triggered stop, of your account and of "
        "your competition accounts (``account_id`` tells them apart): generic JSON (with an "
        "Idempotency-Key header), or a Slack or Discord incoming webhook. Sent at least once, "
        "retried with growing waits for about a day while your receiver is down."
    ),
    "hook.url": "Webhook URL",
    "hook.format": "Format",
    "hook.json": "Generic JSON",
    "hook.save": "Save webhook",
    "hook.saved": "Saved: your next fills will be sent there.",
    "hook.remove": "Remove webhook",
    "hook.removed": "Removed: nothing more will be sent.",
    "hook.no_log": "No notification yet: the log lists each one once it is queued.",
    "hook.pending": "Waiting to retry",
    "hook.delivered": "Delivered",
    "hook.failed": "Given up",
    "hook.stop_triggered": "Stop triggered",
    "hook.fill": "Fill",
    "hook.col_event": "Event",
    "hook.col_time": "Market time",
    "hook.col_status": "Status",
    "hook.col_attempts": "Attempts",
    "hook.col_answer": "Answer",
    "hook.col_error": "Last error",
    "hook.col_next": "Next try",
    "hook.col_key": "Key",
}
