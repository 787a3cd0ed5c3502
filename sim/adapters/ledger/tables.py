"""The ledger schema (SQLAlchemy Core). Alembic migrations in ``migrations/`` create it.

Tables: ``users``; ``accounts`` (one active per user; a reset archives it with a label and opens a
new one, so old history is kept); ``positions`` (the seed's ``portfolios``: one row per account and
symbol); ``orders``; ``transactions`` (one row per fill, the seed's columns plus fee, order id,
client order id); ``forecasts`` (served forecasts, kept to be scored later); ``login_sessions``
and ``login_throttle`` (revocable logins and failed-login back-off, migration 0003);
``webhooks`` and ``webhook_deliveries`` (fill notifications and their delivery log, migration 0004);
``watchlists`` (the symbols each user follows, migration 0006); ``competitions``,
``competition_seasons`` and ``competition_entries`` (migration 0007, see
:mod:`sim.domain.competition`), with ``users.owner_id`` (set on a competition entry's trader: the
member who owns it) and the trading window ``accounts.trade_from``/``trade_until`` and allowed
``accounts.symbols`` of an entry's account (NULL on an ordinary account: no bound).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from sim.adapters.ledger.types import Exact, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(32), nullable=False, unique=True),
    Column("password_hash", String(100), nullable=False),
    Column("display_name", String(64), nullable=False, server_default=""),
    Column("email", String(254), nullable=False, server_default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("maker_fee", Exact, nullable=True),
    Column("taker_fee", Exact, nullable=True),
    Column("slippage_bps", Exact, nullable=True),
    # a competition entry's trader: the member owning it (NULL for a person); migration 0007. No
    # foreign key (SQLite adds one to an existing table only unnamed): competition_entries has them
    Column("owner_id", Integer, nullable=True),
    Index("ix_users_owner_id", "owner_id"),
    # the language chosen for the app's text ("en" | "ko"), NULL: the browser's; migration 0009
    Column("language", String(8), nullable=True),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(64), nullable=False, server_default="main"),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("starting_cash", Exact, nullable=False),
    Column("cash_free", Exact, nullable=False),
    Column("cash_locked", Exact, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    # a competition entry's trading window [trade_from, trade_until) in market time and its allowed
    # symbols (comma-separated); NULL: no bound (migration 0007, checked under the account lock)
    Column("trade_from", UtcDateTime, nullable=True),
    Column("trade_until", UtcDateTime, nullable=True),
    Column("symbols", Text, nullable=True),
    CheckConstraint("cash_free >= 0", name="cash_free_nonneg"),
    CheckConstraint("cash_locked >= 0", name="cash_locked_nonneg"),
    Index(
        "uq_accounts_one_active",
        "user_id",
        unique=True,
        sqlite_where=text("active"),
        postgresql_where=text("active"),
    ),
)

positions = Table(
    "positions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("symbol", String(20), nullable=False),
    Column("qty_free", Exact, nullable=False, server_default="0"),
    Column("qty_locked", Exact, nullable=False, server_default="0"),
    Column("cost_basis", Exact, nullable=False, server_default="0"),
    Column("realized_pnl", Exact, nullable=False, server_default="0"),
    Column("fees_paid", Exact, nullable=False, server_default="0"),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("account_id", "symbol", name="uq_positions_account_symbol"),
    CheckConstraint("qty_free >= 0", name="qty_free_nonneg"),
    CheckConstraint("qty_locked >= 0", name="qty_locked_nonneg"),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("client_order_id", String(64), nullable=True),
    Column("list_id", String(40), nullable=True),
    Column("symbol", String(20), nullable=False),
    Column("side", String(4), nullable=False),
    Column("type", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("quantity", Exact, nullable=True),
    Column("quote_amount", Exact, nullable=True),
    Column("price", Exact, nullable=True),
    Column("stop_price", Exact, nullable=True),
    Column("filled_qty", Exact, nullable=False, server_default="0"),
    Column("filled_notional", Exact, nullable=False, server_default="0"),
    Column("fee_total", Exact, nullable=False, server_default="0"),
    Column("locked_cash", Exact, nullable=False, server_default="0"),
    Column("locked_qty", Exact, nullable=False, server_default="0"),
    Column("reason", Text, nullable=False, server_default=""),
    Column("notified", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # a TRAILING_STOP's delta in bps and the best price it tracked (NULL: not started); migration 0005
    Column("trailing_delta", Integer, nullable=True),
    Column("trail_extreme", Exact, nullable=True),
    UniqueConstraint("account_id", "client_order_id", name="uq_orders_account_client_id"),
    Index("ix_orders_symbol_status", "symbol", "status"),
    Index("ix_orders_account_status", "account_id", "status"),
)

transactions = Table(
    "transactions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("order_id", ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("client_order_id", String(64), nullable=True),
    Column("symbol", String(20), nullable=False),
    Column("type", String(4), nullable=False),  # BUY | SELL (the seed's column name)
    Column("quantity", Exact, nullable=False),
    Column("price", Exact, nullable=False),
    Column("total_amount", Exact, nullable=False),  # quantity x price, before the fee
    Column("fee", Exact, nullable=False),
    Column("liquidity", String(5), nullable=False),  # maker | taker
    Column("realized_pnl", Exact, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_pos"),
    Index("ix_transactions_account_created", "account_id", "created_at"),
)

forecasts = Table(
    "forecasts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model_id", String(80), nullable=False),
    Column("symbol", String(20), nullable=False),
    Column("interval", String(4), nullable=False),
    Column("horizon", Integer, nullable=False),
    Column("as_of", UtcDateTime, nullable=False),
    Column("valid_until", UtcDateTime, nullable=False),
    Column("label", String(8), nullable=False),
    Column("p_down", Exact, nullable=False),
    Column("p_flat", Exact, nullable=False),
    Column("p_up", Exact, nullable=False),
    Column("outcome", String(8), nullable=True),
    Column("scored_at", UtcDateTime, nullable=True),
    UniqueConstraint("model_id", "as_of", name="uq_forecasts_model_asof"),
)

# Logins the server can revoke (migration 0003). The browser keeps a signed cookie naming a session
# id; only its SHA-256 is stored here. A session is good while ``revoked_at`` is NULL and
# ``expires_at`` (wall clock, renewed on use) is ahead. ``users.failed_logins``/``locked_until`` are
# no longer used: ``login_throttle`` replaced the hard lock.
login_sessions = Table(
    "login_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Index("ix_login_sessions_user_id", "user_id"),
)

# Failed-login back-off, shared by every app process: one row per key (``account:<name>`` for any
# name typed, existing or not, and ``client:<address>``).
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("last_failure_at", UtcDateTime, nullable=True),
    Column("blocked_until", UtcDateTime, nullable=True),
)

# Fill notifications (migration 0004): one webhook per user; ``last_fill_id`` is the highest fill id
# already queued for it (fills before the webhook was set are never sent). Each queued notification
# is a ``webhook_deliveries`` row, unique per webhook and idempotency key; ``next_attempt_at`` and
# ``delivered_at`` are wall-clock times (delivery is infrastructure), ``event_time`` market time.
webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("url", String(500), nullable=False),
    Column("format", String(10), nullable=False),
    Column("last_fill_id", Integer, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("webhook_id", ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("event_key", String(40), nullable=False),
    Column("event", String(20), nullable=False),
    Column("event_time", UtcDateTime, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("http_status", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=True),
    UniqueConstraint("webhook_id", "event_key", name="uq_webhook_deliveries_webhook_key"),
    Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
)

# Watchlists (migration 0006): the symbols each user follows beyond SYMBOLS, in the order added
# (id); at most sim.universe.MAX_WATCHLIST per user, checked by sim.watch_api. ``created_at`` is the
# wall clock (a preference, not a market event).
watchlists = Table(
    "watchlists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("symbol", String(20), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("user_id", "symbol", name="uq_watchlists_user_symbol"),
    Index("ix_watchlists_symbol", "symbol"),
)

# Competitions (migration 0007; rules in sim.domain.competition). A competition holds its settings;
# it runs in seasons numbered from 1, each with its window in market time (``ended_early_at`` when
# the host ended it early) and, once final, ``frozen_at`` (market time of the freeze) and
# ``standings`` (the final standings as JSON). A member joins a season through an entry: its own
# trader (``trader_id``, a users row owned by the member) whose one account trades the season.
competitions = Table(
    "competitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("invite_code", String(20), nullable=False, unique=True),
    Column("symbols", Text, nullable=True),  # comma-separated; NULL: every tradable symbol
    Column("starting_balance", Exact, nullable=False),
    Column("maker_fee", Exact, nullable=False),
    Column("taker_fee", Exact, nullable=False),
    Column("slippage_bps", Exact, nullable=False),
    Column("min_trades", Integer, nullable=False, server_default="0"),
    Column("show_holdings_after_end", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", UtcDateTime, nullable=False),
)

competition_seasons = Table(
    "competition_seasons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("competition_id", ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("ended_early_at", UtcDateTime, nullable=True),
    Column("frozen_at", UtcDateTime, nullable=True),
    Column("standings", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("competition_id", "number", name="uq_competition_seasons_number"),
)

competition_entries = Table(
    "competition_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("season_id", ForeignKey("competition_seasons.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("trader_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("joined_at", UtcDateTime, nullable=False),
    Column("removed_at", UtcDateTime, nullable=True),
    # the rank by score last queued for the member's webhook (migration 0008)
    Column("notified_rank", Integer, nullable=True),
    UniqueConstraint("season_id", "member_id", name="uq_competition_entries_member"),
    Index("ix_competition_entries_member_id", "member_id"),
)
