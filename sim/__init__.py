"""crypto paper-trading simulator: the domain package that the app, notebooks and DAGs import.

    >>> from sim import Simulator
    >>> sim = Simulator.open()            # from the settings (sim.bootstrap); embedded: SQLite + replay

Nothing is imported (and nothing is opened) until a name is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.services import Simulator
    from sim.settings import Settings, load_settings

__all__ = ["Settings", "Simulator", "load_settings"]


def __getattr__(name: str) -> Any:
    if name == "Simulator":
        from sim.services import Simulator

        return Simulator
    if name in ("Settings", "load_settings"):
        import sim.settings

        return getattr(sim.settings, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
