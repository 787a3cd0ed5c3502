"""Reports: the signed-in user's own batch reports (HTML with charts, built daily by Airflow, or
on demand here with "Build my report now" for the market day so far). The daily job writes each
report in its user's stored language (English when none is chosen); the on-demand build writes it in
the page's current language (``ui.i18n.lang()``).

Only ``sim.reports(user.id)`` and ``sim.report_html(user.id, ...)`` are called, with the id of the
signed-in user from the session: a report id (also accepted as ``?report=YYYY-MM-DD``) can only
name one of that user's own files; anything else is "not found".
"""

import streamlit as st

from sim.domain.errors import NotFound
from sim.reports.store import inline_plotly
from ui import errors
from ui.auth import require_user
from ui.i18n import error_text, lang, t, when
from ui.runtime import get_runtime

user = require_user()
sim = get_runtime().sim

#: the report's own page has dark text on no background: inside the app's dark theme it needs its own
#: light paper (the report file itself is built by sim.reports)
PAPER = "<style>html{background:#ffffff;color:#1f2328;color-scheme:light}</style>"


def _build() -> None:
    """on_click of "Build my report now": today's (market time) report of this user, built here."""
    from sim.reports import build_report

    day = sim.now().date().isoformat()
    with errors.boundary():
        info = build_report(sim, user.id, day, lang=lang())  # in the page's language
        st.session_state["_report_built"] = t("rep.built", day=day) if info else t("rep.nothing")
        if info:
            st.session_state.pop("report_pick", None)  # the picker starts again at the newest


st.title(t("nav.reports"))
st.button(
    t("rep.build"),
    on_click=_build,
    key="report_build",
    icon=":material/refresh:",
    help=t("rep.build_help"),
)
built = st.session_state.pop("_report_built", None)
if built:
    st.info(built)
reports = sim.reports(user.id)
asked = st.query_params.get("report")
ids = [r.report_id for r in reports]

if asked is not None and asked not in ids:
    st.error(t("rep.no_such", asked=repr(asked[:40])))
    asked = None

if not reports:
    st.caption(t("rep.empty"))
    st.stop()

choice = st.selectbox(
    t("rep.pick"),
    ids,
    index=ids.index(asked) if asked in ids else 0,
    key="report_pick",
    help=t("rep.pick_help"),
)
try:
    html = inline_plotly(sim.report_html(user.id, choice))  # stored once beside the reports
except NotFound as exc:
    st.error(error_text(exc))
    st.stop()
info = reports[ids.index(choice)]
left, right = st.columns([3, 1])
left.caption(t("rep.built_at", at=when(info.built_at), size=f"{info.size_bytes / 1e3:,.0f}"))
right.download_button(
    t("rep.download"), html, file_name=f"report-{choice}.html", mime="text/html", key="report_download"
)
st.iframe(PAPER + html, height=1400)
