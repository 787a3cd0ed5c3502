"""Korean texts of the AI Assistant and Reports pages (the twin of :mod:`ui.locales.en_assistant`)."""

MESSAGES: dict[str, str] = {
    # the AI Assistant page (app_pages/assistant.py)
    "ai.intro": (
        "단순 기준 모델과 비교해 워크포워드로 검증한 XGBoost 모델의 방향 예측, 시장에 대한 쉬운 해설, "
        "그리고 내 계정을 바탕으로 답하는 채팅입니다. 예측은 확률일 뿐 투자 조언이 아니며, 채팅은 "
        "확인 없이 절대 주문하지 않습니다."
    ),
    "ai.symbol": "종목",
    "ai.horizon": "예측 기간",
    "ai.hours": "{hours}시간",
    "ai.prediction": "예측",
    "ai.probability": "P({name})",
    "ai.most_likely": "가장 가능성 높음",
    "ai.confidence": "신뢰도 {level}",
    "ai.level.low": "낮음",
    "ai.level.medium": "중간",
    "ai.level.high": "높음",
    "ai.most_likely_note": "**가장 가능성 높음: {label}** — {note}.",
    "ai.forecast_caption": (
        "{symbol}, {as_of} UTC 이후 {hours}시간 ({until}까지). '보합' = ±{band} 이내의 움직임. "
        "모델 {model}: {accuracy}{skill}."
    ),
    "ai.no_candles": "{symbol}의 마감된 1시간 캔들이 아직 없습니다.",
    "ai.analysis": "시장 분석",
    "ai.trend": "추세",
    "ai.momentum": "모멘텀",
    "ai.rsi": "RSI(14)",
    "ai.volatility": "변동성",
    "ai.annualized": "연율 {pct}",
    "ai.col_kind": "구분",
    "ai.col_price": "가격",
    "ai.col_touches": "터치 횟수",
    "ai.col_definition": "정의",
    "ai.support": "지지선",
    "ai.resistance": "저항선",
    "ai.every_number": "모든 수치와 그 정의",
    "ai.col_number": "수치",
    "ai.col_value": "값",
    "ai.track_record": "실시간 예측 성적",
    "ai.not_scored": (
        "아직 채점된 {symbol} {hours}시간 예측이 없습니다 (대기 {pending}건): 예측은 그 기간이 "
        "지나고 해당 캔들이 기록에 들어오면 채점됩니다."
    ),
    "ai.col_predictor": "예측기",
    "ai.col_hit_rate": "적중률",
    "ai.col_brier": "Brier",
    "ai.model": "모델",
    "ai.baseline": "{name} (기준 모델)",
    "ai.record_caption": (
        "채점 {scored}건, 대기 {pending}건, 무효 {void}건 (데이터 공백). 적중률: {hit_rate}. Brier: {brier}."
    ),
    "ai.chat": "채팅",
    "ai.confirm": "확인",
    "ai.ask": "질문 예: 비트코인 가격, ETH 4시간 예측, SOL에서 왜 손해 봤어, 비트코인 0.01개 사줘",
    # the Reports page (app_pages/reports.py)
    "rep.built": "{day} 리포트를 만들었습니다.",
    "rep.nothing": "이 계정에는 아직 거래가 없어 리포트로 만들 내용이 없습니다.",
    "rep.build": "지금 내 리포트 만들기",
    "rep.build_help": (
        "지금까지의 거래로 오늘 리포트를 만들거나 다시 만듭니다. 리포트는 매일 자동으로도 만들어집니다."
    ),
    "rep.no_such": "{asked} 리포트가 없습니다.",
    "rep.empty": (
        "아직 리포트가 없습니다. 거래가 있는 계정마다 매일 리포트가 만들어집니다 (BTC 보유 대비 "
        "평가자산, 통계, 수수료, 거래 내역, 예측 성적). 위 버튼으로 지금 만들 수 있습니다."
    ),
    "rep.pick": "리포트",
    "rep.pick_help": "하루에 하나, 최신 순입니다.",
    "rep.built_at": "생성 {at} UTC · {size} kB",
    "rep.download": "HTML 다운로드",
}
