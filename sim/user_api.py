"""The users part of the public facade: :class:`UserMethods`, mixed into ``sim.services.Simulator``.

Registration, logging in (with back-off and the client's address when known), sessions the server
can revoke, password changes and cost preferences. Security times (sessions, back-off) are the wall
clock; nothing here touches market time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

import sim.logins as logins
import sim.users as users
from sim.adapters.ledger import repository as repo
from sim.adapters.ledger import users_store
from sim.domain.costs import check_fee, check_slippage, fee_from_percent
from sim.domain.errors import AuthError, CompetitionRefused
from sim.service_layer import accounts
from sim.views import UserView

if TYPE_CHECKING:
    from sim.settings import Settings


class UserMethods:
    """Users, logins and preferences; the host class provides the engine, settings and helpers."""

    engine: Engine
    settings: Settings
    bcrypt_rounds: int

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
        with self.engine.connect() as conn:
            row = repo.user_row(conn, user_id)
            return UserView(row.id, row.username, row.display_name, row.created_at, row.language)

    def user_by_name(self, username: str) -> UserView | None:
        with self.engine.connect() as conn:
            row = users_store.by_name(conn, username.strip().lower())
        return UserView(row.id, row.username, row.display_name, row.created_at, row.language) if row else None

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
            raise AuthError.of("auth.current_wrong") from None
        with self.engine.begin() as conn:
            users.change_password(conn, user_id, old, new, datetime.now(UTC))

    def preferences(self, user_id: int) -> dict[str, Decimal]:
        """The fee and slippage that apply to this user (their own or the defaults)."""
        return accounts.preferences(self, user_id)  # type: ignore[arg-type]

    def set_cost_percentages(
        self,
        user_id: int,
        *,
        maker_fee_pct: object = None,
        taker_fee_pct: object = None,
        slippage_bps: object = None,
    ) -> None:
        """:meth:`set_preferences` with the fees in percent as a form shows them (``"0.075"`` is
        0.075%): converted exactly (:func:`sim.domain.costs.fee_from_percent`), then checked."""
        self.set_preferences(
            user_id,
            maker_fee=fee_from_percent(maker_fee_pct, "maker fee") if maker_fee_pct is not None else None,
            taker_fee=fee_from_percent(taker_fee_pct, "taker fee") if taker_fee_pct is not None else None,
            slippage_bps=slippage_bps,
        )

    def set_preferences(
        self,
        user_id: int,
        *,
        maker_fee: object = None,
        taker_fee: object = None,
        slippage_bps: object = None,
        display_name: object = None,
        language: object = None,
    ) -> None:
        """Change fee rates (0 to 1%) and slippage (0 to 100 bps) for practice under other costs,
        the display name, or the language of the app's text (``"en"`` | ``"ko"``)."""
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
        if language is not None:
            from sim.domain.language import check_language

            values["language"] = check_language(language)
        if values:
            with self.engine.begin() as conn:
                row = repo.user_row(conn, user_id)
                if row.owner_id is not None and set(values) != {"language"}:
                    raise CompetitionRefused.of("competition.fixed_costs")
                users_store.update_user(conn, user_id, **values)
