"""Errors the domain raises. Each message is meant to be shown to a person as it is."""

from __future__ import annotations


class SimError(Exception):
    """Base class of every refusal the simulator makes. ``str(err)`` is user-facing."""


class InvalidInput(SimError, ValueError):
    """A value typed or sent by a user is malformed (NaN, negative, off the grid, ...)."""


class UnknownSymbol(InvalidInput):
    """The symbol is not one of the tracked instruments."""


class OrderRejected(SimError):
    """The order is well-formed but cannot be accepted now (funds, notional, price age, ...)."""


class InsufficientFunds(OrderRejected):
    """Not enough free cash or free quantity for the order."""


class StalePrice(OrderRejected):
    """No market price yet, or the latest one is older than the allowed age."""


class IllegalTransition(SimError):
    """An order was asked to move between two states the transition table does not link."""


class NotFound(SimError, LookupError):
    """The object does not exist, or does not belong to the caller."""


class AuthError(SimError):
    """Wrong username or password, or the account is locked."""
