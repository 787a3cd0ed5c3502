"""Korean texts of the forecast beside a chart and the live track record panel (the twin of
:mod:`ui.locales.en_forecast`)."""

MESSAGES: dict[str, str] = {
    "fc.hourly_only": "예측은 1시간 차트에만 그려집니다 (모델이 1시간 단위로 학습되었습니다).",
    "fc.none": "예측 없음: {error}",
    "fc.caption": "{hours}시간 뒤 예측: **{label} ({p})**{note}. 모델: {accuracy}{skill}.",
    "fc.note": " — **{note}**",
    "fc.record_title": "**실시간 예측 성적** ({symbol}, {hours}시간)",
    "fc.not_scored": (
        "아직 채점된 예측이 없습니다 (대기 {pending}건): 예측은 그 기간이 지나고 해당 캔들이 기록에 "
        "들어오면 채점됩니다."
    ),
    "fc.record_caption": "채점 {scored}건, 대기 {pending}건. 적중률: {hit_rate}. Brier: {brier}.",
}
