"""Where per-user reports live, and the only way to reach one: by user id and report id.

Layout: ``<reports_dir>/<user_id>/<report_id>.html`` and ``.parquet``, where ``report_id`` is the
report's date, ``YYYY-MM-DD`` (one report per user and day; rebuilding a day replaces it).

Access rules (what :meth:`sim.services.Simulator.report_html` relies on):
- The user id comes from the caller's session, never from the report id, so a report id can only
  ever name a file inside that user's own directory.
- A report id must be exactly a valid ``YYYY-MM-DD`` date; anything else (``..``, slashes, another
  user's directory, an absolute path, a NUL byte) is refused with :class:`NotFound`, the same
  answer as for a report that does not exist, so nothing about other users' files is revealed.
- The resolved path must still be inside the user's directory (a symlink planted there cannot lead
  out of it).
Files are written atomically (temporary name, then ``os.replace``), so a reader sees a whole
report or none. The plotly.js bundle is stored once per reports directory
(``<reports_dir>/plotly-<version>.min.js``) and loaded by each report with a relative
``<script src>``; :func:`inline_plotly` makes a self-contained copy for viewing or download.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sim.domain.errors import NotFound

REPORT_ID = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
HTML_SUFFIX = ".html"
TABLE_SUFFIX = ".parquet"


@dataclass(frozen=True)
class ReportInfo:
    """One stored report of one user."""

    report_id: str  # the report's date, YYYY-MM-DD
    user_id: int
    html_path: Path
    table_path: Path
    size_bytes: int
    built_at: datetime  # the HTML file's modification time (UTC)

    @property
    def day(self) -> date:
        return date.fromisoformat(self.report_id)


def _user_dir(reports_dir: Path, user_id: int) -> Path:
    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
        raise NotFound.of("report.no_user")
    return Path(reports_dir) / str(user_id)


def check_report_id(report_id: object) -> str:
    """``report_id`` when it is a valid ``YYYY-MM-DD`` date, else :class:`NotFound`."""
    text = report_id.isoformat() if isinstance(report_id, date) else report_id
    if not isinstance(text, str) or not REPORT_ID.match(text):
        raise NotFound.of("report.none", value=str(report_id)[:40])
    try:
        date.fromisoformat(text)
    except ValueError:
        raise NotFound.of("report.none", value=text) from None
    return text


def report_paths(reports_dir: Path, user_id: int, report_id: object) -> tuple[Path, Path]:
    """``(html, parquet)`` paths of a report id of this user (whether or not they exist)."""
    rid = check_report_id(report_id)
    base = _user_dir(reports_dir, user_id)
    return base / f"{rid}{HTML_SUFFIX}", base / f"{rid}{TABLE_SUFFIX}"


def _existing(path: Path, user_dir: Path, report_id: str) -> Path:
    try:
        resolved = path.resolve(strict=True)
        inside = resolved.is_relative_to(user_dir.resolve(strict=True))
    except (FileNotFoundError, NotADirectoryError, RuntimeError, OSError):
        inside = False
    if not inside or not resolved.is_file():
        raise NotFound.of("report.none", value=report_id)
    return resolved


def list_reports(reports_dir: Path, user_id: int) -> list[ReportInfo]:
    """This user's reports (those with an HTML file), newest first."""
    base = _user_dir(reports_dir, user_id)
    if not base.is_dir():
        return []
    found = []
    for entry in base.iterdir():
        rid = entry.name[: -len(HTML_SUFFIX)] if entry.name.endswith(HTML_SUFFIX) else ""
        if not REPORT_ID.match(rid):
            continue
        try:
            html = _existing(entry, base, check_report_id(rid))
        except NotFound:
            continue
        stat = html.stat()
        found.append(
            ReportInfo(
                rid,
                user_id,
                html,
                base / f"{rid}{TABLE_SUFFIX}",
                stat.st_size,
                datetime.fromtimestamp(stat.st_mtime, UTC),
            )
        )
    return sorted(found, key=lambda r: r.report_id, reverse=True)


def read_html(reports_dir: Path, user_id: int, report_id: object) -> str:
    """The HTML of this user's report ``report_id``; :class:`NotFound` for anything else."""
    html, _ = report_paths(reports_dir, user_id, report_id)
    return _existing(html, html.parent, html.stem).read_text(encoding="utf-8")


def table_path(reports_dir: Path, user_id: int, report_id: object) -> Path:
    """The Parquet table of this user's report ``report_id``; :class:`NotFound` for anything else."""
    _, table = report_paths(reports_dir, user_id, report_id)
    return _existing(table, table.parent, table.stem)


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename.

    An HTML report (``<reports_dir>/<user_id>/<id>.html``) is stored without the plotly.js bundle
    it embeds: that is written once in ``<reports_dir>`` (:func:`ensure_plotly`) and loaded with a
    relative ``<script src>`` (:func:`share_plotly`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == HTML_SUFFIX:
        ensure_plotly(path.parent.parent)
        data = share_plotly(data.decode("utf-8")).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --- the plotting library, stored once -----------------------------------------------------------
def plotly_file() -> str:
    """The shared plotly.js bundle's file name (versioned: a new plotly writes a new file)."""
    import plotly

    return f"plotly-{plotly.__version__}.min.js"


def plotly_src() -> str:
    """What a report's ``<script src>`` loads: the bundle in the reports directory, one level up
    from ``<reports_dir>/<user_id>/<report_id>.html`` (so an opened file works offline)."""
    return f"../{plotly_file()}"


@functools.cache
def plotly_js() -> str:
    """The plotly.js bundle (read once per process)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def ensure_plotly(reports_dir: Path) -> Path:
    """``<reports_dir>/plotly-<version>.min.js``, written once (reports load it instead of each
    embedding the 4.6 MB library)."""
    path = Path(reports_dir) / plotly_file()
    if not path.exists():
        write_atomic(path, plotly_js().encode("utf-8"))
    return path


def _tags() -> tuple[str, str]:
    """The bundle as plotly's ``to_html(include_plotlyjs=True)`` embeds it, and as a shared file."""
    return f"<script>{plotly_js()}</script>", f'<script charset="utf-8" src="{plotly_src()}"></script>'


def share_plotly(html: str) -> str:
    """``html`` with its embedded plotly.js bundle replaced by the shared file's ``<script src>``."""
    embedded, shared = _tags()
    return html.replace(embedded, shared)


def inline_plotly(html: str) -> str:
    """A report with the shared bundle inlined: one document that works anywhere (the app's view
    and its download; the stored file stays small)."""
    embedded, shared = _tags()
    return html.replace(shared, embedded, 1)
