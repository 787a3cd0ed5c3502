"""The languages a person may choose for the app's text (pure).

``"en"`` (English) and ``"ko"`` (Korean). A person's choice is stored on their ``users`` row
(``language``, NULL until chosen: the app then follows the browser's language).
"""

from __future__ import annotations

from sim.domain.errors import InvalidInput

LANGUAGES = ("en", "ko")


def check_language(value: object) -> str:
    """``value`` when it is one of :data:`LANGUAGES` (case and spaces ignored); InvalidInput else."""
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in LANGUAGES:
        raise InvalidInput.of("language.unknown", languages=", ".join(LANGUAGES), value=value)
    return code
