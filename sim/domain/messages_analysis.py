"""Messages of the analysis areas (see :mod:`sim.domain.messages`): backtests, listings and pages,
candle history and its store. One English and one Korean template per key, with the same fields;
Korean is polite (합니다/해 주세요)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- candle intervals and ranges (sim.backtest_service, sim.history) ---
    "interval.unknown": {
        "en": "interval must be one of {names}, got {value!r}.",
        "ko": "interval 값은 {names} 중 하나여야 합니다. 입력값: {value!r}.",
    },
    "interval.hourly_sample": {
        "en": "The shipped candles are hourly: interval must be one of {names}.",
        "ko": "함께 제공되는 캔들은 1시간 단위입니다: interval 값은 {names} 중 하나여야 합니다.",
    },
    "range.end_before_start": {
        "en": "The end of the range must be after its start.",
        "ko": "기간의 끝은 시작보다 뒤여야 합니다.",
    },
    # --- backtests (sim.backtest_service) ---
    "backtest.no_symbols": {
        "en": "Pick at least one symbol.",
        "ko": "심볼을 하나 이상 골라 주세요.",
    },
    "backtest.range_too_long": {
        "en": "{interval} candles over {span} are more than {most:,} per symbol; "
        "choose a coarser interval or a shorter range.",
        "ko": "{span} 동안의 {interval} 캔들은 심볼당 {most:,}개를 넘습니다. "
        "더 긴 간격이나 더 짧은 기간을 골라 주세요.",
    },
    "backtest.too_many_candles": {
        "en": "{symbol} has {count:,} {interval} candles in that range (at most {most:,}); "
        "choose a coarser interval or a shorter range.",
        "ko": "{symbol}은(는) 그 기간에 {interval} 캔들이 {count:,}개 있습니다(최대 {most:,}개). "
        "더 긴 간격이나 더 짧은 기간을 골라 주세요.",
    },
    "backtest.too_few_candles": {
        "en": "{symbol} has fewer than 3 closed {interval} candles in that range.",
        "ko": "{symbol}은(는) 그 기간에 마감된 {interval} 캔들이 3개보다 적습니다.",
    },
    "backtest.unknown_strategy": {
        "en": "Unknown strategy {value!r}; one of {names}.",
        "ko": "알 수 없는 전략 {value!r}입니다. {names} 중 하나를 골라 주세요.",
    },
    "backtest.forecast_hourly": {
        "en": "The XGBoost strategy is trained on 1h candles (its features and label band were chosen "
        "for them): pick the 1h interval.",
        "ko": "XGBoost 전략은 1h 캔들로 학습합니다(특성과 레이블 구간이 그에 맞춰 정해졌습니다): "
        "1h 간격을 골라 주세요.",
    },
    "backtest.cash_not_positive": {
        "en": "cash must be greater than zero",
        "ko": "cash(시작 현금) 값은 0보다 커야 합니다",
    },
    "backtest.history_short": {
        "en": "Not enough history to train the XGBoost strategy on {days} days: the test "
        "window could only start on {day}. Shorten the train window.",
        "ko": "XGBoost 전략을 {days}일 동안 학습하기에 기록이 부족합니다: 테스트 구간은 {day}에야 "
        "시작할 수 있습니다. 학습 기간을 줄여 주세요.",
    },
    # --- pages of orders and fills (sim.pagination) ---
    "page.limit_range": {
        "en": "limit must be a whole number from 1 to {most}, got {value!r}.",
        "ko": "limit 값은 1부터 {most}까지의 정수여야 합니다. 입력값: {value!r}.",
    },
    "page.limit_positive": {
        "en": "limit must be a whole number of at least 1, got {value!r}.",
        "ko": "limit 값은 1 이상의 정수여야 합니다. 입력값: {value!r}.",
    },
    "page.status_not_text": {
        "en": "status must be a text such as 'open' or 'filled', got {value!r}.",
        "ko": "status 값은 'open'이나 'filled' 같은 문자열이어야 합니다. 입력값: {value!r}.",
    },
    "page.status_unknown": {
        "en": "status must be one of {names}; got {value!r}.",
        "ko": "status 값은 {names} 중 하나여야 합니다. 입력값: {value!r}.",
    },
    "page.bad_cursor": {
        "en": "cursor {shown} is not one this listing gave; pass next_cursor from a page.",
        "ko": "cursor {shown}은(는) 이 목록이 준 값이 아닙니다. 페이지의 next_cursor를 넘겨 주세요.",
    },
    # --- candle history (sim.history) ---
    "history.no_candles": {
        "en": "There are no candles of {symbol} here.",
        "ko": "여기에는 {symbol}의 캔들이 없습니다.",
    },
    # --- the candle store (sim.adapters.history.base) ---
    "candles.interval_unknown": {
        "en": "Unknown candle interval {value!r}; use one of {names}.",
        "ko": "알 수 없는 캔들 간격 {value!r}입니다. {names} 중 하나를 사용해 주세요.",
    },
    "candles.symbol_format": {
        "en": "A symbol is upper-case letters and digits, got {value!r}.",
        "ko": "심볼은 영문 대문자와 숫자로만 이루어져야 합니다. 입력값: {value!r}.",
    },
    "candles.time_not_datetime": {
        "en": "open_time must be a datetime, got {value!r}.",
        "ko": "open_time 값은 datetime이어야 합니다. 입력값: {value!r}.",
    },
    "candles.time_wrong_type": {
        "en": "open_time must be a datetime, got {kind}.",
        "ko": "open_time 값은 datetime이어야 합니다. 입력 형식: {kind}.",
    },
    "candles.time_naive": {
        "en": "open_time must be timezone-aware (UTC), got naive {value!r}.",
        "ko": "open_time 값에는 시간대(UTC)가 있어야 합니다. 시간대 없는 입력값: {value!r}.",
    },
    "candles.decimals": {
        "en": "{name} has more than 8 decimals: {value!r}; it would not be exact.",
        "ko": "{name} 값의 소수 자릿수가 8자리를 넘어 정확히 저장할 수 없습니다: {value!r}.",
    },
    "candles.too_large": {
        "en": "{name} is too large for NUMERIC(38, 8): {value!r}.",
        "ko": "{name} 값이 NUMERIC(38, 8)에 담기에 너무 큽니다: {value!r}.",
    },
    "candles.off_boundary": {
        "en": "open_time {time} is not on a {interval} boundary.",
        "ko": "open_time {time}이(가) {interval} 경계에 맞지 않습니다.",
    },
    "candles.inconsistent": {
        "en": "Inconsistent candle at {time}: "
        "open={open} high={high} low={low} close={close} volume={volume}.",
        "ko": "{time}의 캔들 값이 서로 맞지 않습니다: open={open} high={high} low={low} close={close} "
        "volume={volume}.",
    },
    "candles.closed_not_bool": {
        "en": "closed must be True or False, got {value!r}.",
        "ko": "closed 값은 True 또는 False여야 합니다. 입력값: {value!r}.",
    },
    "candles.version_not_whole": {
        "en": "version must be a whole number, got {value!r}.",
        "ko": "version 값은 정수여야 합니다. 입력값: {value!r}.",
    },
    # --- forecasts in backtests and served (sim.backtest_forecast, sim.forecasting) ---
    "forecast.not_served": {
        "en": "No forecast model is served for {symbols} on {interval} candles, "
        "horizon {horizon} (models/served.json; the shipped models are 1h, horizons 1 and 4). "
        "Drop those symbols or pick another strategy.",
        "ko": "{symbols}에는 {interval} 캔들, 예측 기간 {horizon}의 예측 모델이 제공되지 않습니다"
        "(models/served.json, 함께 제공되는 모델은 1h, 예측 기간 1과 4입니다). "
        "그 심볼을 빼거나 다른 전략을 골라 주세요.",
    },
    "forecast.train_days_type": {
        "en": "train_days must be a whole number of days, got {value!r}.",
        "ko": "train_days 값은 일 단위의 정수여야 합니다. 입력값: {value!r}.",
    },
    "forecast.train_days_range": {
        "en": "The train window must be a whole number of days, at least {least}.",
        "ko": "학습 기간은 {least}일 이상의 정수 일수여야 합니다.",
    },
    "forecast.history_short": {
        "en": "Not enough history to train the XGBoost strategy before {start}: it trains on the "
        "{days} days before the test window plus {warm} {interval} candles of feature warm-up, "
        "so it needs candles from {needed} UTC, and {symbol}'s {interval} "
        "candles start on {first}. Start the test on or after {earliest} "
        "or shorten the train window.",
        "ko": "{start} 이전에 XGBoost 전략을 학습하기에 기록이 부족합니다: 테스트 구간 전 {days}일과 "
        "특성 준비용 {interval} 캔들 {warm}개로 학습하므로 {needed} UTC부터의 캔들이 필요한데, "
        "{symbol}의 {interval} 캔들은 {first}에 시작합니다. 테스트를 {earliest} 이후에 시작하거나 "
        "학습 기간을 줄여 주세요.",
    },
    "forecast.train_rows_few": {
        "en": "{symbol} has {count} labelled {interval} rows in the train window "
        "(at least {least} are needed)",
        "ko": "{symbol}의 학습 구간에는 레이블이 붙은 {interval} 행이 {count}개뿐입니다(최소 {least}개 필요)",
    },
    "forecast.model_needs_candles": {
        "en": "{model} needs {needed} candles, got {count}",
        "ko": "{model} 모델에는 캔들 {needed}개가 필요한데 {count}개뿐입니다",
    },
    "forecast.features_undefined": {
        "en": "features of the last candle are undefined: {row}",
        "ko": "마지막 캔들의 특성 값을 계산할 수 없습니다: {row}",
    },
    "forecast.train_rows": {
        "en": "{problem}; pick a longer train window or another range.",
        "ko": "{problem}. 더 긴 학습 기간이나 다른 기간을 골라 주세요.",
    },
    "forecast.interval_unknown": {
        "en": "unknown interval {value!r}; expected e.g. '1m', '1h', '1d'",
        "ko": "알 수 없는 간격 {value!r}입니다. '1m', '1h', '1d' 같은 값을 입력해 주세요",
    },
    "forecast.horizon": {
        "en": "horizon must be a whole number of bars (1 or more), got {value!r}.",
        "ko": "horizon 값은 1 이상의 정수(캔들 개수)여야 합니다. 입력값: {value!r}.",
    },
    "forecast.probability": {
        "en": "probability must be between 0 and 1, got {value!r}",
        "ko": "확률은 0과 1 사이여야 합니다. 입력값: {value!r}",
    },
    "forecast.history_bars": {
        "en": "Not enough history for a {symbol} forecast: the model needs {needs} "
        "closed {interval} candles, the history has {count} up to {now} UTC.",
        "ko": "{symbol} 예측에 필요한 기록이 부족합니다: 모델에는 마감된 {interval} 캔들 {needs}개가 "
        "필요한데, {now} UTC까지의 기록에는 {count}개뿐입니다.",
    },
    "forecast.history_problem": {
        "en": "Not enough history for a {symbol} forecast: {problem}.",
        "ko": "{symbol} 예측에 필요한 기록이 부족합니다: {problem}.",
    },
    "forecast.history_behind": {
        "en": "The history of {symbol} is behind the market clock: its last closed {interval} candle "
        "closes at {closes} UTC, so a {horizon}-bar forecast from it would "
        "have expired at {expired} UTC (now {now} UTC).",
        "ko": "{symbol}의 기록이 시장 시각보다 늦습니다: 마지막으로 마감된 {interval} 캔들은 {closes} UTC에 "
        "마감되므로, 그 캔들로 만든 {horizon}개 캔들 예측은 {expired} UTC에 이미 만료되었을 것입니다"
        "(현재 {now} UTC). 기록이 갱신된 뒤 다시 시도해 주세요.",
    },
    "forecast.analysis_history": {
        "en": "Not enough history for a {symbol} analysis: {count} closed {interval} candle(s) "
        "up to {now} UTC.",
        "ko": "{symbol} 분석에 필요한 기록이 부족합니다: "
        "{now} UTC까지 마감된 {interval} 캔들이 {count}개뿐입니다.",
    },
    # --- daily reports (sim.reports.store) ---
    "report.no_user": {
        "en": "There is no such user.",
        "ko": "그런 사용자가 없습니다.",
    },
    "report.none": {
        "en": "You have no report {value!r}.",
        "ko": "{value!r} 리포트가 없습니다.",
    },
    # --- orders proposed by the assistant (sim.assistant.tools_orders) ---
    "assistant.side": {
        "en": "side must be BUY or SELL.",
        "ko": "매수/매도 구분은 BUY 또는 SELL이어야 합니다.",
    },
    "assistant.share_range": {
        "en": "The share must be between 0% and 100%, got {share}.",
        "ko": "비율은 0%보다 크고 100% 이하여야 합니다. 입력값: {share}.",
    },
    "assistant.nothing_to_sell": {
        "en": "You hold no free {asset} to sell.",
        "ko": "매도할 수 있는 {asset}을(를) 보유하고 있지 않습니다.",
    },
    "assistant.no_price": {
        "en": "There is no {symbol} price yet.",
        "ko": "아직 {symbol}의 가격이 없습니다.",
    },
    "assistant.below_step": {
        "en": "That is less than the smallest {asset} step ({step}).",
        "ko": "{asset}의 최소 수량 단위({step})보다 적습니다.",
    },
    "assistant.not_a_proposal": {
        "en": "Only an order proposed by the assistant can be confirmed.",
        "ko": "어시스턴트가 제안한 주문만 확정할 수 있습니다.",
    },
    "assistant.not_your_proposal": {
        "en": "This proposal belongs to another user.",
        "ko": "이 제안은 다른 사용자의 것입니다.",
    },
    # --- the ledger (sim.adapters.ledger.repository) ---
    "account.none_active": {
        "en": "User {user} has no active account.",
        "ko": "사용자 {user}에게 활성 계정이 없습니다.",
    },
    # --- the backtest engine (sim.analytics.backtest) ---
    "backtest.trailing_one_symbol": {
        "en": "A trailing stop is backtested on one symbol at a time.",
        "ko": "트레일링 스톱은 한 번에 한 심볼씩만 백테스트할 수 있습니다.",
    },
    "backtest.paper_fill_no_candles": {
        "en": "paper fill {index} is for {symbol}, which has no candles here",
        "ko": "모의 체결 {index}은(는) {symbol}의 체결인데, 여기에는 {symbol} 캔들이 없습니다",
    },
    "backtest.no_rules": {
        "en": "No exchange rules for {symbol!r} (known: {known}). Pass instruments=..., e.g. "
        "{{'{symbol}': instrument('{symbol}', tick_size=..., step_size=...)}}.",
        "ko": "{symbol!r}의 거래소 규칙이 없습니다(알려진 심볼: {known}). instruments=...를 넘겨 주세요. 예: "
        "{{'{symbol}': instrument('{symbol}', tick_size=..., step_size=...)}}.",
    },
    # --- the assistant's tools (sim.assistant.tools_forecast) ---
    "assistant.indicator_unknown": {
        "en": "I know these indicators: {names}.",
        "ko": "제가 아는 지표는 다음과 같습니다: {names}.",
    },
    # --- the served forecast models (sim.forecast_models); a model card's reason and an error of
    # the file system are quoted as they are ---
    "forecast.served_unreadable": {
        "en": "The list of served models cannot be read: {error}",
        "ko": "서비스 중인 모델 목록을 읽을 수 없습니다: {error}",
    },
    "forecast.none_served": {
        "en": "No forecast model is served for {symbol} {interval} with a horizon of {horizon} "
        "bar(s){why}. Nothing is served for {symbol}.",
        "ko": "{symbol} {interval}, 예측 기간 {horizon}봉에 서비스 중인 예측 모델이 없습니다{why}. "
        "{symbol}에는 서비스 중인 모델이 하나도 없습니다.",
    },
    "forecast.none_served_offer": {
        "en": "No forecast model is served for {symbol} {interval} with a horizon of {horizon} "
        "bar(s){why}. Served for {symbol}: {available}.",
        "ko": "{symbol} {interval}, 예측 기간 {horizon}봉에 서비스 중인 예측 모델이 없습니다{why}. "
        "{symbol}에 서비스 중인 모델: {available}.",
    },
    "forecast.model_unloadable": {
        "en": "The served model for {key} cannot be loaded: {error}",
        "ko": "{key}의 서비스 중인 모델을 불러올 수 없습니다: {error}",
    },
    "forecast.pooled_card_unreadable": {
        "en": "The pooled model's card in {folder} cannot be read: {error}",
        "ko": "{folder}에 있는 통합 모델의 카드를 읽을 수 없습니다: {error}",
    },
    "forecast.pooled_unloadable": {
        "en": "The pooled model in {folder} cannot be loaded: {error}",
        "ko": "{folder}에 있는 통합 모델을 불러올 수 없습니다: {error}",
    },
}
