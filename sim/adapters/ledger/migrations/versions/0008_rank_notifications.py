"""rank-change notifications: the rank last notified per competition entry

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 04:50:00

``competition_entries.notified_rank``: the rank by score last queued for the member's webhook
(NULL: never notified, or unranked when last notified). A notification is queued when the entry's
rank differs from it, and the column is moved in the same transaction (compare-and-set), so each
change is queued once (see :mod:`sim.rank_notifications`). Added with a plain ``ALTER TABLE``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("competition_entries", sa.Column("notified_rank", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("competition_entries", schema=None) as batch_op:
        batch_op.drop_column("notified_rank")
