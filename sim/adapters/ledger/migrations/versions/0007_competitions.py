"""competitions and seasons: their tables, entry traders and the accounts' trading window

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 00:30:00

``competitions``, ``competition_seasons`` and ``competition_entries`` (see
:mod:`sim.domain.competition`); ``users.owner_id`` (a competition entry's trader: the member who
owns it; a plain indexed integer, no foreign key: SQLite can add a column's foreign key only
inline, unnamed, and ``competition_entries.member_id``/``trader_id`` already hold the link with
their keys); ``accounts.trade_from``/``trade_until``/``symbols`` (an entry's trading window and
allowed symbols, NULL on ordinary accounts). On PostgreSQL ``ledger_lock_active_account`` (0002)
is recreated returning the window and symbols too, so an order is checked against them under the
account lock in the same round trip. Columns are added with plain ``ALTER TABLE`` (a batch rebuild
of ``users`` or ``accounts`` on SQLite would drop the table, and the cascade would delete its rows).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sim.adapters.ledger.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC_TIME = sim.adapters.ledger.types.UtcDateTime(timezone=True)
EXACT = sim.adapters.ledger.types.Exact()

_FUNCTION_BODY = """
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    acct accounts%ROWTYPE;
BEGIN
    SELECT * INTO acct FROM accounts a WHERE a.user_id = p_user_id AND a.active FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT acct.id, acct.user_id, acct.cash_free, acct.cash_locked,
               u.maker_fee, u.taker_fee, u.slippage_bps, {window}
               p.symbol, p.qty_free, p.qty_locked, p.cost_basis, p.realized_pnl, p.fees_paid
        FROM users u
        LEFT JOIN positions p
               ON p.account_id = acct.id AND (p_symbols IS NULL OR p.symbol = ANY (p_symbols))
        WHERE u.id = acct.user_id;
END
$$;
"""
_FUNCTION_HEAD = """
CREATE FUNCTION ledger_lock_active_account(p_user_id integer, p_symbols text[])
RETURNS TABLE (
    id integer, user_id integer, cash_free numeric, cash_locked numeric,
    maker_fee numeric, taker_fee numeric, slippage_bps numeric, {window}
    symbol varchar, qty_free numeric, qty_locked numeric, cost_basis numeric,
    realized_pnl numeric, fees_paid numeric
)
"""
_DROP = "DROP FUNCTION IF EXISTS ledger_lock_active_account(integer, text[])"


def _function(with_window: bool) -> str:
    head = "trade_from timestamptz, trade_until timestamptz, symbols text," if with_window else ""
    body = "acct.trade_from, acct.trade_until, acct.symbols," if with_window else ""
    return _FUNCTION_HEAD.format(window=head) + _FUNCTION_BODY.format(window=body)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("users", sa.Column("owner_id", sa.Integer(), nullable=True))
    op.create_index("ix_users_owner_id", "users", ["owner_id"], unique=False)
    op.add_column("accounts", sa.Column("trade_from", UTC_TIME, nullable=True))
    op.add_column("accounts", sa.Column("trade_until", UTC_TIME, nullable=True))
    op.add_column("accounts", sa.Column("symbols", sa.Text(), nullable=True))
    op.create_table(
        "competitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("invite_code", sa.String(length=20), nullable=False),
        sa.Column("symbols", sa.Text(), nullable=True),
        sa.Column("starting_balance", EXACT, nullable=False),
        sa.Column("maker_fee", EXACT, nullable=False),
        sa.Column("taker_fee", EXACT, nullable=False),
        sa.Column("slippage_bps", EXACT, nullable=False),
        sa.Column("min_trades", sa.Integer(), server_default="0", nullable=False),
        sa.Column("show_holdings_after_end", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["users.id"], name=op.f("fk_competitions_host_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competitions")),
        sa.UniqueConstraint("invite_code", name=op.f("uq_competitions_invite_code")),
    )
    op.create_table(
        "competition_seasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC_TIME, nullable=False),
        sa.Column("ends_at", UTC_TIME, nullable=False),
        sa.Column("ended_early_at", UTC_TIME, nullable=True),
        sa.Column("frozen_at", UTC_TIME, nullable=True),
        sa.Column("standings", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["competition_id"],
            ["competitions.id"],
            name=op.f("fk_competition_seasons_competition_id_competitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_seasons")),
        sa.UniqueConstraint("competition_id", "number", name="uq_competition_seasons_number"),
    )
    op.create_table(
        "competition_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("trader_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", UTC_TIME, nullable=False),
        sa.Column("removed_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["competition_seasons.id"],
            name=op.f("fk_competition_entries_season_id_competition_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["users.id"],
            name=op.f("fk_competition_entries_member_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trader_id"],
            ["users.id"],
            name=op.f("fk_competition_entries_trader_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_entries")),
        sa.UniqueConstraint("season_id", "member_id", name="uq_competition_entries_member"),
        sa.UniqueConstraint("trader_id", name=op.f("uq_competition_entries_trader_id")),
    )
    op.create_index("ix_competition_entries_member_id", "competition_entries", ["member_id"], unique=False)
    if not sqlite:
        op.execute(_DROP)
        op.execute(_function(with_window=True))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.execute(_DROP)
        op.execute(_function(with_window=False))
    op.drop_index("ix_competition_entries_member_id", table_name="competition_entries")
    op.drop_table("competition_entries")
    op.drop_table("competition_seasons")
    op.drop_table("competitions")
    op.drop_column("accounts", "symbols")
    op.drop_column("accounts", "trade_until")
    op.drop_column("accounts", "trade_from")
    op.drop_index("ix_users_owner_id", table_name="users")
    op.drop_column("users", "owner_id")
