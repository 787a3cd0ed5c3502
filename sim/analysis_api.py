"""The analysis part of the public facade: :class:`AnalysisMethods`, mixed into ``sim.services.Simulator``.

Equity history, reports, backtests, paper-vs-backtest and forecasts: each method a one-line
delegation to its use case, run on the simulator as a
:class:`~sim.service_layer.context.ServiceContext`. The heavy modules (XGBoost, the backtester)
are imported when first used, so opening a simulator stays cheap.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from sim.service_layer.context import ServiceContext


class AnalysisMethods(ServiceContext):
    """Equity, reports, backtests and forecasts on this simulator's ledger, candles and clock."""

    def equity_history(
        self, user_id: int, interval: str = "1h", as_of: datetime | None = None
    ) -> pd.DataFrame:
        """The active account's equity over time beside holding BTC from the same start, up to the
        market clock (or an earlier ``as_of``): :func:`sim.equity.equity_history`."""
        from sim.equity import equity_history

        return equity_history(self, user_id, interval, as_of)

    def reports(self, user_id: int) -> list[Any]:
        """This user's reports (:class:`sim.reports.ReportInfo`), newest first; only theirs."""
        from sim.reports.store import list_reports

        return list_reports(self.settings.reports_dir, user_id)

    def report_html(self, user_id: int, report_id: str) -> str:
        """The HTML of this user's report ``report_id`` (a ``YYYY-MM-DD`` date).

        Raises :class:`~sim.domain.errors.NotFound` for a report of another user, a missing one,
        or a malformed id (``..``, slashes, ...): the id only ever names a file in this user's
        own report directory (see :mod:`sim.reports.store`).
        """
        from sim.reports.store import read_html

        return read_html(self.settings.reports_dir, user_id, report_id)

    def report_table(self, user_id: int, report_id: str) -> pd.DataFrame:
        """The Parquet table (the fills) of this user's report; NotFound like :meth:`report_html`."""
        from sim.reports.store import table_path

        return pd.read_parquet(table_path(self.settings.reports_dir, user_id, report_id))

    def backtest(self, symbols: str | list[str], strategy: str = "ma_crossover", **kwargs: Any) -> Any:
        """Backtest on this simulator's candles: :func:`sim.backtest_service.run_backtest`
        (``params``, ``interval``, ``start``, ``end``, ``cash``, ``model``, ``progress``; for
        ``strategy="forecast"`` also ``train_days``, default 365: the models are trained on that
        many days before ``start`` and only ``[start, end)`` is traded, out of sample;
        ``train_days=None`` uses the served models instead, as before; and ``seed``, default 42)."""
        from sim.backtest_service import run_backtest

        return run_backtest(self, [symbols] if isinstance(symbols, str) else symbols, strategy, **kwargs)

    def paper_vs_backtest(self, user_id: int, interval: str = "1h", backtest: Any = None) -> Any:
        """This user's paper fills replayed by the backtester (with ``backtest``: that run's
        quantities): see :func:`sim.paper_vs_backtest.paper_vs_backtest`."""
        from sim.paper_vs_backtest import paper_vs_backtest

        return paper_vs_backtest(self, user_id, interval, backtest)

    # --- forecasts and assistant ---
    def forecast(self, symbol: str, interval: str = "1h", horizon: int = 1) -> Any:
        """The served model's forecast from the candles closed at the clock, stored in the
        ``forecasts`` table: :func:`sim.forecasting.forecast`."""
        from sim import forecasting

        return forecasting.forecast(self, symbol, interval, horizon)

    def score_forecasts(self) -> int:
        """Give an outcome to stored forecasts whose horizon has passed (returns how many):
        :func:`sim.forecasting.score_forecasts`."""
        from sim import forecasting

        return forecasting.score_forecasts(self)

    def track_record(self, symbol: str | None = None, horizon: int | None = None) -> Any:
        """Hit rate and Brier score of scored forecasts vs baselines:
        :func:`sim.forecast_record.track_record`."""
        from sim.forecast_record import track_record

        return track_record(self, symbol, horizon)

    def analysis(self, symbol: str, interval: str = "1h", lang: str = "en") -> Any:
        """Trend, momentum, volatility regime and levels, with definitions in ``lang``:
        :func:`sim.forecasting.analysis`."""
        from sim import forecasting

        return forecasting.analysis(self, symbol, interval, lang)
