"""The Settings page's "Fill notifications" section: set or remove the webhook, read the delivery log.

Deliveries are made by the sender (:mod:`pipeline.notifier`): a thread of the app under ``make run``
(the embedded feed), the compose file's ``notifier`` service on the full stack.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from sim.domain.errors import SimError
from ui import format as fmt
from ui.i18n import error_text, t


def _formats() -> dict[str, str]:
    return {"json": t("hook.json"), "slack": "Slack", "discord": "Discord"}


def _log_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    status = {"pending": t("hook.pending"), "delivered": t("hook.delivered"), "failed": t("hook.failed")}
    return pd.DataFrame(
        [
            {
                t("hook.col_event"): t("hook.stop_triggered")
                if r["event"] == "stop_triggered"
                else t("hook.fill"),
                t("hook.col_time"): fmt.when(r["event_time"]),
                t("hook.col_status"): status.get(r["status"], r["status"]),
                t("hook.col_attempts"): r["attempts"],
                t("hook.col_answer"): "" if r["http_status"] is None else str(r["http_status"]),
                t("hook.col_error"): r["last_error"],
                t("hook.col_next"): fmt.when(r["next_attempt_at"]) if r["status"] == "pending" else "",
                t("hook.col_key"): r["event_key"],
            }
            for r in rows
        ]
    )


def draw(sim: Any, user_id: int) -> None:
    """The section, for the signed-in ``user_id``."""
    current = sim.webhook(user_id)
    with st.form("webhook_form"):
        st.subheader(t("hook.title"))
        st.caption(t("hook.caption"))
        url = st.text_input(t("hook.url"), value=current["url"] if current else "", key="s_hook_url")
        formats = _formats()
        kinds = list(formats)
        kind = st.selectbox(
            t("hook.format"),
            kinds,
            index=kinds.index(current["format"]) if current else 0,
            format_func=formats.__getitem__,
            key="s_hook_format",
        )
        if st.form_submit_button(t("hook.save")):
            try:
                sim.set_webhook(user_id, url, kind)
                st.success(t("hook.saved"))
                current = sim.webhook(user_id)
            except SimError as exc:
                st.error(error_text(exc))
    if current and st.button(t("hook.remove"), key="s_hook_remove"):
        sim.remove_webhook(user_id)
        st.success(t("hook.removed"))
        current = None
    if current:
        rows = sim.webhook_deliveries(user_id, 50)
        if rows:
            st.dataframe(_log_table(rows), hide_index=True, key="s_hook_log")
        else:
            st.caption(t("hook.no_log"))
