"""Paging through a listing of the API (``orders_page``, ``trades_page``) on a page.

The cursors of the pages the user went through are kept in the session, newest last; "Older" and
"Newer" buttons move along them (their callbacks run before the rerun, so the new page is read at
once). Assumption: ``fetch(cursor)`` returns a :class:`sim.pagination.Page`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui.i18n import t


def paged(key: str, fetch: Callable[[str | None], Any], what: str = "rows") -> Any:
    """The page the user is on, with Newer/Older buttons when there is more than one page."""
    state = f"_paging_{key}"
    stack: list[str | None] = st.session_state.setdefault(state, [None])
    page = fetch(stack[-1])
    if not page.items and len(stack) > 1:  # the rows of this page went away (canceled, reset)
        stack[:] = [None]
        page = fetch(None)
    if len(stack) > 1 or page.has_more:
        newer, where, older = st.columns([1, 2, 1])
        newer.button(t("paging.newer"), key=f"{state}_newer", disabled=len(stack) == 1, on_click=stack.pop)
        where.caption(t("paging.where", page=len(stack), what=what))
        older.button(
            t("paging.older"),
            key=f"{state}_older",
            disabled=not page.has_more,
            on_click=stack.append,
            args=(page.next_cursor,),
        )
    return page
