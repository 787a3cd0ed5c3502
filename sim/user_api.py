"""The users part of the public facade: :class:`UserMethods`, mixed into ``sim.services.Simulator``.

Registration, logging in (with back-off and the client's address when known), sessions the server
can revoke, password changes and cost preferences. Security times (sessions, back-off) are the wall
clock; nothing here touches market time.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, select, update

from sim import logins, users
from sim.adapters.ledger import repository as repo
from sim.adapters.ledger.tables import users as users_table
from sim.domain.costs import check_fee, check_slippage
from sim.domain.errors import AuthError
from sim.views import UserView

if TYPE_CHECKING:
    from sim import trading
    from sim.settings import Settings


class UserMethods:
    """Users, logins and preferences; the host class provides the engine, settings and helpers."""

    engine: Engine
    settings: Settings
    bcrypt_rounds: int

    if TYPE_CHECKING:

        def _read(self) -> AbstractContextManager[Connection]: ...

        def _costs(self, conn: Connection, user_id: int) -> trading.Costs: ...

    def register(self, username: str, password: str, display_name: str | None = None) -> UserView:
        """Create a user with a fresh account of ``STARTING_BALANCE`` USDT."""
        with self.engine.begin() as conn:
            return users.register(
                conn,
                username,
                password,
                display_name,
                self.settings.starting_balance,
                datetime.now(UTC),
                self.bcrypt_rounds,
            )

    def authenticate(self, username: str, password: str, client: str | None = None) -> UserView:
        """The user for a correct password; AuthError otherwise.

        Failures slow further attempts on that name and from ``client`` (an address, when the
        caller knows one) with growing delays; see :mod:`sim.logins`. Passwords over 72 bytes are
        refused (bcrypt would ignore the rest).
        """
        return logins.authenticate(
            self.engine, username, password, client, datetime.now(UTC), self.bcrypt_rounds
        )

    def start_session(self, user_id: int) -> str:
        """A new login session for the user; the token the browser keeps."""
        return logins.start_session(self.engine, user_id, datetime.now(UTC))

    def check_session(self, token: object) -> logins.Session | None:
        """The live session of ``token`` (renewed on use), or None when unknown, expired or revoked."""
        return logins.check_session(self.engine, token, datetime.now(UTC))

    def revoke_sessions(self, user_id: int) -> int:
        """Log the user out everywhere: every session issued so far stops working."""
        return logins.revoke_sessions(self.engine, user_id, datetime.now(UTC))

    def me(self, user_id: int) -> UserView:
        with self._read() as conn:
            row = repo.user_row(conn, user_id)
            return UserView(row.id, row.username, row.display_name, row.created_at)

    def user_by_name(self, username: str) -> UserView | None:
        with self._read() as conn:
            row = conn.execute(
                select(users_table).where(users_table.c.username == username.strip().lower())
            ).first()
        return UserView(row.id, row.username, row.display_name, row.created_at) if row else None

    def change_password(self, user_id: int, old: str, new: str) -> None:
        """Change the password; every session of the user is revoked (log in again everywhere).

        The current password is checked with the login's back-off first, so a borrowed session
        cannot guess it any faster than the login form could.
        """
        try:
            logins.authenticate(
                self.engine, self.me(user_id).username, old, None, datetime.now(UTC), self.bcrypt_rounds
            )
        except logins.LoginThrottled:
            raise
        except AuthError:
            raise AuthError("The current password is wrong.") from None
        with self.engine.begin() as conn:
            users.change_password(conn, user_id, old, new, datetime.now(UTC))

    def preferences(self, user_id: int) -> dict[str, Decimal]:
        """The fee and slippage that apply to this user (their own or the defaults)."""
        with self._read() as conn:
            c = self._costs(conn, user_id)
        return {
            "maker_fee": c.fees.maker,
            "taker_fee": c.fees.taker,
            "slippage_bps": c.slippage_bps,
        }

    def set_preferences(
        self,
        user_id: int,
        *,
        maker_fee: object = None,
        taker_fee: object = None,
        slippage_bps: object = None,
        display_name: object = None,
    ) -> None:
        """Change fee rates (0 to 1%) and slippage (0 to 100 bps) for practice under other costs."""
        values: dict[str, Any] = {}
        if maker_fee is not None:
            values["maker_fee"] = check_fee(maker_fee, "maker fee")
        if taker_fee is not None:
            values["taker_fee"] = check_fee(taker_fee, "taker fee")
        if slippage_bps is not None:
            values["slippage_bps"] = check_slippage(slippage_bps)
        if display_name is not None:
            from sim.domain.users import check_display_name

            values["display_name"] = check_display_name(display_name)
        if values:
            with self.engine.begin() as conn:
                conn.execute(update(users_table).where(users_table.c.id == user_id).values(**values))
