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
from ui.i18n import error_text

FORMATS = {"json": "Generic JSON", "slack": "Slack", "discord": "Discord"}
STATUS = {"pending": "Waiting to retry", "delivered": "Delivered", "failed": "Given up"}


def _log_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Event": "Stop triggered" if r["event"] == "stop_triggered" else "Fill",
                "Market time": fmt.when(r["event_time"]),
                "Status": STATUS.get(r["status"], r["status"]),
                "Attempts": r["attempts"],
                "Answer": "" if r["http_status"] is None else str(r["http_status"]),
                "Last error": r["last_error"],
                "Next try": fmt.when(r["next_attempt_at"]) if r["status"] == "pending" else "",
                "Key": r["event_key"],
            }
            for r in rows
        ]
    )


def draw(sim: Any, user_id: int) -> None:
    """The section, for the signed-in ``user_id``."""
    current = sim.webhook(user_id)
    with st.form("webhook_form"):
        st.subheader("Fill notifications")
        st.caption(
            "Get a POST to your own address for each fill and triggered stop, of your account and of "
            "your competition accounts (``account_id`` tells them apart): generic JSON (with an "
            "Idempotency-Key header), or a Slack or Discord incoming webhook. Sent at least once, "
            "retried with growing waits for about a day while your receiver is down."
        )
        url = st.text_input("Webhook URL", value=current["url"] if current else "", key="s_hook_url")
        kinds = list(FORMATS)
        kind = st.selectbox(
            "Format",
            kinds,
            index=kinds.index(current["format"]) if current else 0,
            format_func=FORMATS.__getitem__,
            key="s_hook_format",
        )
        if st.form_submit_button("Save webhook"):
            try:
                sim.set_webhook(user_id, url, kind)
                st.success("Saved: your next fills will be sent there.")
                current = sim.webhook(user_id)
            except SimError as exc:
                st.error(error_text(exc))
    if current and st.button("Remove webhook", key="s_hook_remove"):
        sim.remove_webhook(user_id)
        st.success("Removed: nothing more will be sent.")
        current = None
    if current:
        rows = sim.webhook_deliveries(user_id, 50)
        if rows:
            st.dataframe(_log_table(rows), hide_index=True, key="s_hook_log")
        else:
            st.caption("No notification yet: the log lists each one once it is queued.")
