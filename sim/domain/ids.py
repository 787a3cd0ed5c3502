"""Ids that callers pass in (user ids, order ids): positive whole numbers, nothing else.

Assumptions: ids are the ledger's ``integer`` primary keys, so 1 to 2,147,483,647 (PostgreSQL's
``integer``). ``True`` is refused although Python counts it as the int 1, and so are floats
(``2.7`` must not quietly mean order 2), text (``"12"``: an id is not typed by hand in the API),
``None`` and anything else. Integer types other than ``int`` (numpy's, from a DataFrame) are
accepted through :class:`numbers.Integral`.
"""

from __future__ import annotations

import numbers

from sim.domain.errors import InvalidInput
from sim.domain.messages import Term

MAX_ID = 2**31 - 1


def check_id(value: object, field: str) -> int:
    """``value`` as an int when it is a whole number from 1 to :data:`MAX_ID`, else InvalidInput."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        shown = repr(value) if len(repr(value)) <= 40 else type(value).__name__
        raise InvalidInput.of("id.not_whole", field=Term(field), most=MAX_ID, shown=shown)
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise InvalidInput.of("id.not_whole", field=Term(field), most=MAX_ID, shown=number)
    return number
