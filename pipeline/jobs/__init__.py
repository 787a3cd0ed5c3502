"""Task bodies of the batch work, callable without Airflow (from notebooks, tests, the DAGs).

- :mod:`.data`: the hourly data upkeep: backfill one data interval of klines (Binance REST, or
  the offline source: the shipped candles / Binance dump files), check it (gaps, OHLC sanity,
  duplicates) into a keyed findings table, compact the history files, refresh the feature tables.
- :mod:`.batch`: the daily work: retrain and evaluate the forecast models (promotion by the
  forecasting rule only), score the forecasts whose horizon has passed, build per-user reports.

Every function is safe to run again for the same data interval: writes are keyed upserts.
Importing these modules does no I/O.
"""
