"""Korean texts of the app shell, login, errors and Settings."""

MESSAGES: dict[str, str] = {
    # the app shell (app.py)
    "app.title": "암호화폐 모의투자",
    "nav.dashboard": "대시보드",
    "nav.trading": "거래",
    "nav.portfolio": "포트폴리오",
    "nav.assistant": "AI 어시스턴트",
    "nav.backtest": "백테스트 랩",
    "nav.competitions": "대회",
    "nav.reports": "리포트",
    "nav.settings": "설정",
    "nav.login": "로그인",
}
