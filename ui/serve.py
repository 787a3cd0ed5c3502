"""Start the web app, but only with a safe login cookie key: ``python -m ui.serve [streamlit options]``.

``make run`` and the container's command use this instead of ``streamlit run app.py``: it checks the
cookie key (:mod:`ui.keys`) and the other settings first and exits with status 2 and a message
naming the variable before anything listens. Then it replaces itself with
``streamlit run app.py`` plus the given options. Without an ``--server.address`` option it binds
``APP_ADDRESS`` (default ``127.0.0.1``: only this machine; ``0.0.0.0`` exposes the app to the
network). The page keeps its own refusal as a second line of defence.
"""

from __future__ import annotations

import os
import sys

from sim.settings import SettingsError, load_settings
from ui.keys import CookieKeyError, configured_key


def streamlit_argv(args: list[str], address: str) -> list[str]:
    """The ``streamlit run app.py`` command line for ``args`` (an address added when none is given)."""
    given = any(a == "--server.address" or a.startswith("--server.address=") for a in args)
    extra = [] if given else [f"--server.address={address}"]
    return [sys.executable, "-m", "streamlit", "run", "app.py", *extra, *args]


def main(args: list[str]) -> int:
    try:
        settings = load_settings()
        configured_key()
    except (CookieKeyError, SettingsError) as exc:
        print(f"The app will not start: {exc}", file=sys.stderr)
        return 2
    argv = streamlit_argv(args, settings.app_address)
    os.execv(argv[0], argv)
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
