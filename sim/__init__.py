"""crypto paper-trading simulator: the domain package that the app, notebooks and DAGs import.

>>> from sim import Simulator
>>> sim = Simulator.open()            # embedded defaults: SQLite ledger, replayed real candles
"""
