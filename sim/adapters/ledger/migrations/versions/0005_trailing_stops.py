"""trailing stops: the delta and the tracked extreme of a TRAILING_STOP order

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 00:40:00

``orders.trailing_delta`` (basis points) and ``orders.trail_extreme`` (the best trade price the
order has tracked, NULL until it starts; rewritten only when it improves), both NULL for every
other order type. The activation price lives in ``stop_price``, as Binance's ``stopPrice``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sim.adapters.ledger.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("trailing_delta", sa.Integer(), nullable=True))
    op.add_column("orders", sa.Column("trail_extreme", sim.adapters.ledger.types.Exact(), nullable=True))


def downgrade() -> None:
    # plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): a batch rebuild of ``orders`` on SQLite
    # would drop the table, and the cascade would delete its fills
    op.drop_column("orders", "trail_extreme")
    op.drop_column("orders", "trailing_delta")
