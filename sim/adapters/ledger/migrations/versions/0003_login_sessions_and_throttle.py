"""login sessions the server can revoke, and failed-login back-off

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 20:45:00

``login_sessions``: one row per login (the SHA-256 of the id the browser's signed cookie names);
logout and password changes set ``revoked_at`` on every session of the user, and the app checks the
row on every run. ``login_throttle``: failures and the growing delay per account name and per
client address, shared by every app process. ``users.failed_logins`` and ``users.locked_until`` stay
(unused): dropping a column on SQLite rebuilds the table, which would cascade to its accounts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sim.adapters.ledger.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sim.adapters.ledger.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sim.adapters.ledger.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sim.adapters.ledger.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_login_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessions")),
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_login_sessions_user_id", ["user_id"], unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_failure_at", sim.adapters.ledger.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("blocked_until", sim.adapters.ledger.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_login_sessions_user_id")
    op.drop_table("login_sessions")
