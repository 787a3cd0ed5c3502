"""users.language: the language a person chose for the app's text

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 00:30:00

``users.language``: ``"en"`` or ``"ko"`` (see :mod:`sim.domain.language`), NULL until the person
chooses one in Settings (the app then follows the browser's language). Added with a plain
``ALTER TABLE`` on both SQLite and PostgreSQL (a batch rebuild of ``users`` on SQLite would drop
the table, and the cascade would delete its rows); the same on the way down (SQLite >= 3.35 drops
a column in place).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "language")
