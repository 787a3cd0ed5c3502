"""The service layer: the use cases behind the facade (:class:`sim.services.Simulator`).

Each module is a few functions over a :class:`~sim.service_layer.context.ServiceContext` (the
settings, the instruments, the market, the clock, and a :class:`~sim.service_layer.unit_of_work.UnitOfWork`
factory for the ledger): ``accounts``, ``orders`` (placing, canceling, previews), ``matching``
(resting orders crossed by trades), ``market`` (prices, tickers, candles), ``reads`` (orders and
fills), ``reports``. Nothing here imports the facade, the pipeline, ``ui`` or Streamlit.
"""
