"""The snapshot file, replaced atomically with the previous version kept beside it.

Assumptions:
- A reader (the simulator starting) sees either the old file or the new one, never a mix: the new
  text goes to a temporary file in the same directory (same file system), is flushed and fsynced,
  then ``os.replace`` swaps it in (atomic on POSIX and Windows); the directory is fsynced after so
  the rename survives a power cut.
- The previous snapshot is copied first to ``<name>.previous.json`` the same way, so after a
  refresh both files are complete. A failure anywhere leaves the snapshot as it was and removes the
  temporary file.
- The new file gets the old file's permission bits (0o644 when there was none), not the private
  mode of a temporary file.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any


def previous_path(path: Path) -> Path:
    """Where the snapshot before the last refresh is kept: ``exchange_info.previous.json``."""
    return path.with_name(f"{path.stem}.previous{path.suffix}")


def read_snapshot(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """``(document, None)``; ``(None, None)`` when there is no file; ``(None, why)`` when unreadable."""
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as exc:
        return None, f"{path} is unreadable ({exc})"
    if not isinstance(doc, dict):
        return None, f"{path} is not a JSON object"
    return doc, None


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a directory be opened
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data``: temporary file in the same directory, fsync, ``os.replace``."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def replace_snapshot(path: Path, doc: dict[str, Any]) -> Path | None:
    """Write ``doc`` to ``path`` atomically, the old file kept as :func:`previous_path`.

    Returns the previous file's path, or None when there was no snapshot before.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(doc, indent=2) + "\n").encode()
    kept = None
    mode = 0o644
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        kept = previous_path(path)
        write_atomically(kept, path.read_bytes(), mode)
    write_atomically(path, data, mode)
    return kept
