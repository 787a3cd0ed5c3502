"""Korean texts of the Backtest lab page and of its statistics tables (the statistic and fill-model
names are :mod:`sim.analytics.labels`' Korean, which the charts draw too)."""

from sim.analytics.labels import KO_FILL_MODELS, KO_STATS

MESSAGES: dict[str, str] = {
    "lab.intro": (
        "모의거래와 같은 체결·수수료·거래소 규칙으로 과거 캔들에서 전략을 실행합니다. "
        "캔들 종가에 내린 결정은 다음 캔들의 시가에 슬리피지와 테이커 수수료를 더해 체결됩니다."
    ),
    # inputs
    "lab.symbols": "종목 (현금 잔고 하나를 함께 씀)",
    "lab.from": "시작일",
    "lab.to": "종료일 (미포함)",
    "lab.interval": "캔들 간격",
    "lab.strategy": "전략",
    "lab.strategy.ma_crossover": "이동평균 교차",
    "lab.strategy.rsi_reversion": "RSI 평균 회귀",
    "lab.strategy.forecast": "XGBoost 예측",
    "lab.fast": "단기 이동평균 (캔들 수)",
    "lab.slow": "장기 이동평균 (캔들 수)",
    "lab.rsi_window": "RSI 기간",
    "lab.buy_below": "매수 기준 (미만)",
    "lab.sell_above": "매도 기준 (초과)",
    "lab.horizon": "예측 구간 (캔들 수)",
    "lab.enter": "진입: P(상승) >",
    "lab.exit": "청산: P(하락) >",
    "lab.train_days": "시작일 이전 학습 일수",
    "lab.train_days_help": "학습 구간입니다. 모델은 시작일 이후의 캔들을 보지 않습니다.",
    "lab.wf_caption": (
        "워크포워드, 표본 외 검증: 새 XGBoost 모델(프로젝트의 특성, 레이블, 파라미터)을 시작일 이전 "
        "{days}일 동안의 각 종목 1시간 캔들로 학습한 뒤, 시작일부터 종료일까지만 거래합니다. 아래 "
        "통계는 그 검증 구간의 것입니다. {gap}"
    ),
    "lab.wf_gap_one": (
        "시작일 직전 캔들 1개는 학습에서 빠지므로, 어떤 학습 레이블도 검증 구간을 들여다보지 않습니다."
    ),
    "lab.wf_gap_many": (
        "시작일 직전 캔들 {n}개는 학습에서 빠지므로, 어떤 학습 레이블도 검증 구간을 들여다보지 않습니다."
    ),
    "lab.fill_box": "체결 가정과 현금",
    "lab.fee": "테이커 수수료율",
    "lab.slippage": "슬리피지 (bp)",
    "lab.cash": "시작 현금 (USDT)",
    "lab.trail": "트레일링 스톱 (bp, 종목 하나)",
    "lab.trail_placeholder": "없음",
    "lab.trail_help": "모의거래처럼 각 포지션을 트레일링 스톱으로 보호합니다: 150 = 1.5%.",
    "lab.pessimistic_note": (
        "민감도 보기는 비관적 모델도 함께 실행합니다: 고가에 매수, 저가에 매도, 슬리피지 10bp, 수수료 2배."
    ),
    "lab.run": "백테스트 실행",
    "lab.busy": "백테스트 중...",
    # results
    "lab.tab_results": "결과",
    "lab.tab_sensitivity": "체결 민감도",
    "lab.tab_paper": "모의거래 대 백테스트",
    "lab.no_run": "위에서 입력값을 고른 뒤 백테스트를 실행하세요.",
    "lab.on_candles": "{symbols}, {interval} 캔들.",
    "lab.in_sample": (
        "예측의 {share}는 모델이 학습한 캔들(표본 내)에 대한 것입니다: "
        "결과가 모델을 실제보다 좋게 보여 줍니다."
    ),
    "lab.final_equity": "최종 평가자산 (USDT)",
    "lab.total_return": "총 수익률",
    "lab.buy_and_hold": "보유 전략(바이 앤 홀드)",
    "lab.max_drawdown": "최대 낙폭",
    "lab.statistic": "통계",
    "lab.value": "값",
    "lab.trades_of": "거래를 표시할 종목",
    "lab.candles_title": "{symbol}, {interval} 캔들",
    "lab.fills": "체결 ({n})",
    "lab.refused": "거래소 규칙으로 거부된 주문 ({n})",
    "lab.no_run_sensitivity": "백테스트를 실행하면 체결 모델을 비교할 수 있습니다.",
    "lab.sensitivity_note": (
        "같은 결정을 기본 체결과 비관적 모델(다음 캔들의 고가에 매수, 저가에 매도, 슬리피지 10bp, "
        "수수료 2배)로 거래한 결과입니다. 기본 열에서만 남는 우위는 체결 가정에서 나온 것입니다."
    ),
    # paper vs backtest
    "lab.paper_note": (
        "내 모의거래 체결(활성 계정)을 백테스터로 다시 실행합니다: 각 체결은 해당 캔들의 결정이 되어 "
        "다음 캔들의 시가에 내 수수료와 슬리피지로 체결됩니다."
    ),
    "lab.candles": "캔들",
    "lab.no_paper": "마감된 캔들에 모의거래 체결이 아직 없습니다: 거래 페이지에서 거래한 뒤 다시 오세요.",
    "lab.minus_paper": "백테스트 − 모의거래",
    "lab.fees": "수수료",
    "lab.slippage_price": "슬리피지와 가격",
    "lab.timing": "타이밍",
    # statistics and fill models (ui/format.py stats_table)
    **{f"stat.{name}": text for name, text in KO_STATS.items()},
    **{f"fill.{name}": text for name, text in KO_FILL_MODELS.items()},
}
