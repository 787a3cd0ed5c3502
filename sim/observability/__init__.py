"""Operations: Prometheus metrics, structured logs, and the hooks that feed them.

- :mod:`.metrics`: every metric the project exports, defined once (no I/O at import), and
  :func:`~.metrics.serve_metrics` to expose them on a port (``METRICS_PORT``);
- :mod:`.classify`: bounded label values (error classes, dead-letter reasons): no user names, ids
  or free text ever become a label;
- :mod:`.instrument`: the simulator facade wrapped from outside (orders, refusals, latency,
  fills, forecasts, logins);
- :mod:`.feed`: feed staleness per symbol, read from the live store when Prometheus scrapes;
- :mod:`.batch`: the batch DAGs' last-success time, pushed to a Prometheus Pushgateway;
- :mod:`.logs`: one JSON object per log line (``LOG_FORMAT=json``) or plain text.
"""
