"""watchlists: the symbols each user follows

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 01:00:00

``watchlists``: one row per user and symbol (unique), in the order added; the producer subscribes
to the union of all watchlists and ``SYMBOLS`` (see :mod:`sim.universe`). Numbered 0006, after
``0005_trailing_stops``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sim.adapters.ledger.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_TIME = sim.adapters.ledger.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "watchlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_watchlists_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlists")),
        sa.UniqueConstraint("user_id", "symbol", name="uq_watchlists_user_symbol"),
    )
    with op.batch_alter_table("watchlists", schema=None) as batch_op:
        batch_op.create_index("ix_watchlists_symbol", ["symbol"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("watchlists", schema=None) as batch_op:
        batch_op.drop_index("ix_watchlists_symbol")
    op.drop_table("watchlists")
