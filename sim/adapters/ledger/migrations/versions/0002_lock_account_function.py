"""lock an account and read its positions in one round trip (PostgreSQL)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 05:40:00

``ledger_lock_active_account(user_id, symbols)`` locks the user's active account row
(``FOR UPDATE``) and then, in a second statement, reads the owner's cost preferences and the
positions of ``symbols`` (all when NULL). A PL/pgSQL function is VOLATILE, so under READ COMMITTED
each statement in it takes a fresh snapshot: the positions are read *after* the lock was granted
and include whatever the previous lock holder committed. (One SELECT that locks the account and
joins the positions would read them from the snapshot taken before it waited for the lock.)
One row per position; one row with NULL position columns when none; no row when the user has no
active account. SQLite needs no function: ``BEGIN IMMEDIATE`` already holds the write lock.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_lock_active_account(p_user_id integer, p_symbols text[])
RETURNS TABLE (
    id integer, user_id integer, cash_free numeric, cash_locked numeric,
    maker_fee numeric, taker_fee numeric, slippage_bps numeric,
    symbol varchar, qty_free numeric, qty_locked numeric, cost_basis numeric,
    realized_pnl numeric, fees_paid numeric
)
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
               u.maker_fee, u.taker_fee, u.slippage_bps,
               p.symbol, p.qty_free, p.qty_locked, p.cost_basis, p.realized_pnl, p.fees_paid
        FROM users u
        LEFT JOIN positions p
               ON p.account_id = acct.id AND (p_symbols IS NULL OR p.symbol = ANY (p_symbols))
        WHERE u.id = acct.user_id;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ledger_lock_active_account(integer, text[])")
