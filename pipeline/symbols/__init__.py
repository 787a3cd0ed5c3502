"""The symbol universe: Binance's exchangeInfo, checked, kept as a snapshot file.

``python -m pipeline symbols refresh`` (:mod:`pipeline.symbols.refresh`) reads exchangeInfo from
Binance (``BINANCE_REST_URL``) or a file, checks it (:mod:`pipeline.symbols.universe`), compares it
with the snapshot in use (:mod:`pipeline.symbols.diff`) and replaces the snapshot atomically,
keeping the previous one (:mod:`pipeline.symbols.store`). The simulator reads the snapshot at
start-up (``sim.bootstrap.load_instruments``).
"""
