"""Market data sources: Binance websocket and REST, data-dump importer, replay."""
