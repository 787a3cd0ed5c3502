"""The pages' error boundary: people see a refusal's message or a short apology, never a traceback.

``with boundary(): page.run()`` in ``app.py`` covers every page, and :func:`guarded` the live
fragments: a :class:`SimError` (a refusal,
meant for people) is shown as it is; anything else is logged on the server with its traceback
under a short random error id, and the page shows only an apology with that id. Streamlit's own
control flow (``st.stop``, ``st.rerun``) derives from ``BaseException`` and passes through. As a
second line, ``client.showErrorDetails = "none"`` in ``.streamlit/config.toml`` keeps tracebacks
of anything escaping a boundary (e.g. in a fragment's own rerun) out of the browser.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec

import streamlit as st
from streamlit.errors import FragmentHandledException
from streamlit.logger import get_logger

from sim.domain.errors import SimError
from ui.i18n import error_text, t

log = get_logger("ui.errors")  # Streamlit's handler: the server's console and log
P = ParamSpec("P")


def apology(error_id: str) -> str:
    """The apology shown for an unexpected error, in the session's language."""
    return t("errors.apology", error_id=error_id)


def report(exc: BaseException) -> str:
    """Log ``exc`` with its traceback under a new error id; the id."""
    error_id = secrets.token_hex(4)
    log.error("error id %s: %s", error_id, type(exc).__name__, exc_info=exc)
    return error_id


@contextmanager
def boundary() -> Iterator[None]:
    """Show a SimError's message, or an apology with an error id for anything unexpected."""
    try:
        yield
    except SimError as exc:
        st.error(error_text(exc))
    except FragmentHandledException:  # an unguarded fragment failed: Streamlit has shown it already
        pass
    except Exception as exc:  # the boundary: nothing unexpected reaches the browser as a traceback
        st.error(apology(report(exc)))


def guarded(fn: Callable[P, None]) -> Callable[P, None]:
    """The boundary around a live fragment's body (its reruns do not pass through ``app.py``).

    Put it under ``@st.fragment``: ``@st.fragment(run_every=2)`` then ``@guarded``.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        with boundary():
            fn(*args, **kwargs)

    return wrapper
