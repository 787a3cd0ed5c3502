"""Analytics on float arrays: features, forecasting, market analysis, performance statistics.

Nothing here touches money (money is Decimal in :mod:`sim.domain`); analytics may use float64.
Importing this package does no I/O.
"""
