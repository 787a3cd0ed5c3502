"""Is a pooled PostgreSQL connection still alive? Answered without a round trip.

``pool_pre_ping`` sends ``SELECT 1`` at every checkout: one more round trip on an order path of
three. The order engine asks the socket instead. An idle connection (no query in flight, as every
pooled one is) has nothing to read unless the server sent something on its own, and what a server
sends an idle session is its goodbye: the FATAL error of ``pg_terminate_backend``, a shutdown or an
idle timeout, then end-of-file. So a readable socket means a dead connection.

Assumptions: the connections do not ``LISTEN`` (a notification would also make the socket
readable: the connection is then replaced, harmless); a silently lost network path (no FIN, no
RST) is not seen here, as it is not seen by ``SELECT 1`` either until the TCP timeout.
"""

from __future__ import annotations

import select
from typing import Any


def server_closed(dbapi_conn: Any) -> bool:
    """True when the psycopg2 connection is closed on our side or the server has closed it."""
    if dbapi_conn is None or dbapi_conn.closed:
        return True
    try:
        poller = select.poll()  # not select.select: that fails on descriptors above 1023
        poller.register(dbapi_conn.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True
