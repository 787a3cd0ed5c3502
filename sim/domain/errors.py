"""Errors the domain raises. Each message is meant to be shown to a person as it is.

A refusal made with ``SomeError.of(key, **params)`` carries a key of :mod:`sim.domain.messages`:
``str(err)`` is its English text (what every caller has always shown), ``err.localized("ko")`` its
Korean text. One raised with a plain message (``SomeError("...")``, not yet in the catalog) has no
key, and ``localized`` returns that message in every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Self

from sim.domain.messages import DEFAULT_LANGUAGE, Term, render


class SimError(Exception):
    """Base class of every refusal the simulator makes. ``str(err)`` is user-facing.

    ``retryable`` says whether sending the same request again (with the same ``client_order_id``
    for an order) may succeed: False for every refusal of the request itself, True only for
    :class:`ServiceUnavailable`.
    """

    retryable: ClassVar[bool] = False
    key: str | None = None  # the catalog key when made with :meth:`of`
    params: Mapping[str, object] = {}  # replaced per instance, never mutated

    @classmethod
    def of(cls, key: str, /, **params: object) -> Self:
        """The refusal ``key`` of the message catalog, its English text filled with ``params``.

        Only for classes whose constructor takes the message alone (the others set their key in
        their own ``__init__``, see :class:`SymbolNotTrading`)."""
        err = cls(render(key, params))
        err._keep(key, params)
        return err

    def _keep(self, key: str, params: Mapping[str, object]) -> None:
        self.key = key
        self.params = dict(params)

    def localized(self, lang: str) -> str:
        """The message in ``lang`` (``"en"``, ``"ko"``); English for other languages, and the
        plain message when the error was raised without a catalog key."""
        if self.key is None or lang == DEFAULT_LANGUAGE:
            return str(self)
        return render(self.key, self.params, lang)


class InvalidInput(SimError, ValueError):
    """A value typed or sent by a user is malformed (NaN, negative, off the grid, ...)."""


class UnknownSymbol(InvalidInput):
    """The symbol is not one of the tracked instruments."""


class SymbolNotTrading(UnknownSymbol):
    """The exchange lists the symbol, but its status is not ``TRADING`` (``BREAK``, ``HALT``, ...).

    A subclass of :class:`UnknownSymbol`, so every place that refuses an unknown symbol refuses
    this one too; its message says the status, so nobody is told the symbol does not exist.
    """

    def __init__(self, symbol: str, status: str) -> None:
        super().__init__(render("symbol.not_trading", {"symbol": symbol, "status": status}))
        self._keep("symbol.not_trading", {"symbol": symbol, "status": status})
        self.symbol = symbol
        self.status = status


class InvalidExchangeRules(SimError, ValueError):
    """An exchangeInfo document (a Binance answer, a file, the snapshot on disk) is malformed or
    breaks its own rules: a filter missing or unreadable, a minimum above its maximum, a zero
    step. Not retryable: the same document fails the same way. The message names the symbol, the
    filter and the field."""


class OrderRejected(SimError):
    """The order is well-formed but cannot be accepted now (funds, notional, price age, ...)."""


class InsufficientFunds(OrderRejected):
    """Not enough free cash or free quantity for the order."""


class StalePrice(OrderRejected):
    """No market price yet, or the latest one is older than the allowed age."""


class ClientOrderIdConflict(OrderRejected):
    """A ``client_order_id`` already names an order with other parameters (side, symbol, type,
    quantity, prices); reused with the same parameters it returns the earlier order instead."""


class CompetitionClosed(OrderRejected):
    """An order on a competition account before its season's start or at/after its end (market
    time), or on an account whose member the host removed."""


class SymbolNotAllowed(OrderRejected):
    """An order on a competition account for a symbol the competition does not allow."""


class Forbidden(SimError):
    """The caller may not do this: only a competition's host (or the admin) manages it, and only a
    member trades or reads what is theirs."""


class CompetitionRefused(SimError):
    """A competition's rules refuse the request now: joining twice or after the end, editing after
    the start, a new season while one runs. The message says which rule and when."""


class IllegalTransition(SimError):
    """An order was asked to move between two states the transition table does not link."""


class NotFound(SimError, LookupError):
    """The object does not exist, or does not belong to the caller."""


class AuthError(SimError):
    """Wrong username or password, or the account is locked."""


class ServiceUnavailable(SimError):
    """A service the simulator needs (the ledger database, the live price store, the message
    broker) could not be reached or dropped the connection. The cause is chained (``__cause__``).

    Safe to retry: an order retried with the same ``client_order_id`` is applied at most once, so
    if the first attempt was written after all (the connection dropped after the commit), the retry
    returns that order.
    """

    retryable: ClassVar[bool] = True

    def __init__(self, message: str, service: str = "") -> None:
        super().__init__(message)
        self.service = service  # "database", "live store" or "broker"

    def localized(self, lang: str) -> str:
        """The message in ``lang``. The English one names the failing call (for the person who
        runs the servers); the translation says what the user can do: wait and try again."""
        if self.key is not None or lang == DEFAULT_LANGUAGE:
            return super().localized(lang)
        if not self.service:
            return render("service.busy", {}, lang)
        return render("service.unavailable", {"service": Term(self.service)}, lang)
