"""Per-user reports: built by the batch job, listed and read through :class:`sim.services.Simulator`.

    from sim.reports import build_reports
    build_reports(sim, "2023-12-31")          # every user with fills: HTML + Parquet per user
    sim.reports(user_id)                      # that user's reports, newest first
    sim.report_html(user_id, "2023-12-31")    # NotFound for anything but the user's own report

See :mod:`.build` for what a report holds and :mod:`.store` for the layout and the access rules.
Importing the package does no I/O.
"""

from sim.reports.build import ReportData, build_report, build_reports, gather, render_html, users_with_fills
from sim.reports.store import ReportInfo, check_report_id, list_reports, read_html, table_path

__all__ = [
    "ReportData",
    "ReportInfo",
    "build_report",
    "build_reports",
    "check_report_id",
    "gather",
    "list_reports",
    "read_html",
    "render_html",
    "table_path",
    "users_with_fills",
]
