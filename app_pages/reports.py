"""Reports: the signed-in user's own batch reports (HTML with charts, built daily by Airflow).

Only ``sim.reports(user.id)`` and ``sim.report_html(user.id, ...)`` are called, with the id of the
signed-in user from the session: a report id (also accepted as ``?report=YYYY-MM-DD``) can only
name one of that user's own files; anything else is "not found".
"""

import streamlit as st

from sim.domain.errors import NotFound
from ui.auth import require_user
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

st.title("Reports")
reports = sim.reports(user.id)
asked = st.query_params.get("report")
ids = [r.report_id for r in reports]

if asked is not None and asked not in ids:
    st.error(f"You have no report {asked[:40]!r}.")
    asked = None

if not reports:
    st.caption(
        "No reports yet. A report is built every day for each account with trades: equity against "
        "holding BTC, statistics, fees, trades and the forecast track record."
    )
    st.stop()

choice = st.selectbox(
    "Report",
    ids,
    index=ids.index(asked) if asked in ids else 0,
    key="report_pick",
    help="One report per day, newest first.",
)
try:
    html = sim.report_html(user.id, choice)
except NotFound as exc:
    st.error(str(exc))
    st.stop()
info = reports[ids.index(choice)]
left, right = st.columns([3, 1])
left.caption(f"Built {info.built_at:%Y-%m-%d %H:%M} UTC · {info.size_bytes / 1e6:.1f} MB")
right.download_button(
    "Download HTML", html, file_name=f"report-{choice}.html", mime="text/html", key="report_download"
)
st.iframe(html, height=1400)
