"""Send one notification: an HTTP POST of a JSON body, with the idempotency key as a header.

Assumptions: the receiver answers within :data:`TIMEOUT_SECONDS`; a redirect is not followed (it
could lead anywhere, a private address included); unless private addresses are allowed, every
address the host name resolves to must be public (checked just before connecting, so a DNS name
cannot smuggle in ``127.0.0.1``; a rebinding between the check and the connect is not defended).
Returns ``(HTTP status, error text)``: the status is None when no answer came.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from sim.domain.webhooks import is_private_host

TIMEOUT_SECONDS = 5.0
USER_AGENT = "crypto-paper-sim-webhook/1"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 3xx answer is returned as an HTTPError: a failed attempt


_OPENER = urllib.request.build_opener(_NoRedirect)


def _resolves_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False  # the connect fails with its own error
    return any(is_private_host(str(info[4][0])) for info in infos)


def post(url: str, body: str, key: str, allow_private: bool = False) -> tuple[int | None, str]:
    """POST ``body`` to ``url`` (see the module docstring)."""
    host = urlsplit(url).hostname or ""
    if not allow_private and (is_private_host(host) or _resolves_private(host)):
        return None, f"{host} resolves to a private address; not sent"
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key, "User-Agent": USER_AGENT},
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return int(answer.status), ""
    except urllib.error.HTTPError as e:
        return int(e.code), f"HTTP {e.code} {e.reason}"[:500]
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        return None, f"{type(e).__name__}: {reason}"[:500]
