"""Which account the pages trade: the sidebar's switcher and the banner naming a competition account.

A person trades their own account or one of their competition entries (issue 16). The choice lives
in ``st.session_state["trading_as"]`` and is checked against the ledger on every run
(:func:`ui.auth.current_user`); pages pass ``user.trader`` to the facade for orders, holdings and
fills, and ``user.id`` for what belongs to the person (settings, watchlist, webhooks, reports).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import i18n
from ui.auth import CurrentUser
from ui.i18n import t


def status_line(choice: Any) -> str:
    """``ends 2023-12-08 00:00 UTC`` (or ``starts``/``ended``) for an entry, in the session's
    language; empty for their own."""
    if choice.kind == "own":
        return ""
    when = choice.starts_at if choice.state == "upcoming" else choice.ends_at
    if not when:
        return ""
    shown = i18n.when(when)
    if choice.state == "upcoming":
        return t("accounts.starts", when=shown)
    if choice.state == "running":
        return t("accounts.ends", when=shown)
    return t("accounts.ended", when=shown)


def label_text(label: str) -> str:
    """An account's label from the facade (``My account``, ``Spring cup · season 2``) in the
    session's language (the competition's own name is kept as its host wrote it)."""
    if label == "My account":
        return t("accounts.mine")
    name, sep, number = label.rpartition(" · season ")
    return t("accounts.entry", name=name, season=number) if sep else label


def switcher(sim: Any, user: CurrentUser) -> None:
    """The sidebar's "Trading account" picker, drawn only for a person with competition entries.
    The options' labels never change while the choice stands (a changed label makes Streamlit
    reset the widget to its first option), so the season's state goes in a caption below it."""
    choices = sim.trading_accounts(user.id)
    if len(choices) < 2:
        return
    labels = {c.trader_id: label_text(str(c.label)) for c in choices}
    if st.session_state.get("trading_as") not in labels:
        st.session_state["trading_as"] = user.trader if user.trader in labels else user.id
    chosen = st.selectbox(
        t("accounts.trading_account"), list(labels), format_func=labels.__getitem__, key="trading_as"
    )
    line = next((status_line(c) for c in choices if c.trader_id == chosen), "")
    if line:
        st.caption(t("accounts.caption", line=line))


def banner(user: CurrentUser) -> None:
    """A line over a trading page saying which competition account it shows, when not their own."""
    if user.in_competition:
        st.info(
            t("accounts.banner", label=label_text(user.account_label)),
            icon=":material/trophy:",
        )


def symbol_choices(sim: Any, user: CurrentUser) -> list[str]:
    """The symbol picker's options: the person's watchlist first; in a competition account only
    the symbols the competition allows, in the same order."""
    choices: list[str] = sim.symbol_choices(user.id)
    if user.competition_id is None:
        return choices
    allowed = sim.competition(user.id, user.competition_id)["symbols"]
    return [s for s in choices if s in allowed] if allowed else choices
