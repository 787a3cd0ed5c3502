"""Log lines as one JSON object each (``LOG_FORMAT=json``) or as plain text (``text``).

A JSON line carries ``time`` (UTC, ISO 8601 with milliseconds: the wall clock, since a log line
records when the process did something, not market time), ``level``, ``component`` (producer,
consumer, matcher, a job...), ``logger``, ``event`` and ``message``, then the ids that matter as
the call site passed them with ``extra={...}`` (topic, partition, offset, symbol, dag, ...), and
``exc`` with the traceback when there is one. ``event`` is the call site's short name for what
happened when it gave one (``extra={"event": "dead_letter"}``), else the message itself.
Values that JSON cannot hold are written as their ``str()``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

# attributes every LogRecord has: whatever else is on a record came from ``extra``
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def __init__(self, component: str) -> None:
        super().__init__()
        self.component = component

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "component": extras.pop("component", self.component),
            "logger": record.name,
            "event": extras.pop("event", message),
            "message": message,
        }
        line.update(extras)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure_logging(
    component: str, fmt: str = "json", level: str | int = "INFO", stream: TextIO | None = None
) -> None:
    """Send the root logger's records to ``stream`` (stderr) as JSON lines or text, replacing any
    handler set before (``logging.basicConfig``)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(component) if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
