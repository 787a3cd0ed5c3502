"""Korean texts of the app shell, login, errors, the account switcher and Settings."""

MESSAGES: dict[str, str] = {
    # the app shell (app.py)
    "app.title": "암호화폐 모의투자",
    "app.wont_start": "앱을 시작할 수 없습니다: {error}",
    "nav.dashboard": "대시보드",
    "nav.trading": "거래",
    "nav.portfolio": "포트폴리오",
    "nav.assistant": "AI 어시스턴트",
    "nav.backtest": "백테스트 랩",
    "nav.competitions": "대회",
    "nav.reports": "리포트",
    "nav.settings": "설정",
    "nav.login": "로그인",
    "sidebar.signed_in_as": "{name} 님으로 로그인됨",
    "sidebar.logout": "로그아웃",
    "sidebar.feed": "시세 {status}: {live}/{total} 실시간",
    "sidebar.market_time": "시장 시각 {time} UTC",
    "feed.live": "실시간",
    "feed.delayed": "지연",
    "feed.stale": "끊김",
    # the error boundary (ui/errors.py)
    "errors.apology": (
        "죄송합니다. 서버 쪽 문제로 이 페이지를 끝까지 보여 드리지 못했습니다. 다시 시도해 주세요. "
        "계속 이런다면 관리자에게 오류 ID {error_id}를 알려 주세요."
    ),
    # the trading-account switcher (ui/accounts.py)
    "accounts.trading_account": "거래 계정",
    "accounts.mine": "내 계정",
    "accounts.entry": "{name} · 시즌 {season}",
    "accounts.starts": "{when} UTC 시작",
    "accounts.ends": "{when} UTC 종료",
    "accounts.ended": "{when} UTC 종료됨",
    "accounts.caption": "대회 계정: {line}",
    "accounts.banner": (
        "대회 계정: **{label}**. 이 페이지의 주문, 보유 자산, 체결 내역은 이 계정의 것입니다. "
        "내 계정으로 돌아가려면 사이드바에서 바꾸세요."
    ),
    # logging in and registering (ui/auth.py)
    "auth.ended": "세션이 끝났습니다 (로그아웃, 비밀번호 변경 또는 만료). 다시 로그인해 주세요.",
    "auth.please_log_in": "이 페이지를 보려면 로그인해 주세요.",
    "auth.passwords_differ": "두 비밀번호가 서로 다릅니다.",
    "auth.welcome": "{username} 님, 환영합니다! 계정은 가상 자금 100,000 USDT로 시작합니다.",
    "auth.tagline": (
        "실제 시세로 바이낸스 현물 종목을 가상 자금 100,000 USDT로 거래해 보세요. 실제 돈은 들지 않습니다."
    ),
    "auth.log_in": "로그인",
    "auth.register": "회원가입",
    "auth.username": "아이디",
    "auth.password": "비밀번호",
    "auth.create_account": "계정 만들기",
    "auth.new_username": "새 아이디",
    "auth.username_help": "영문자, 숫자, '_', '.', '-' 3~32자",
    "auth.display_optional": "표시 이름 (선택)",
    "auth.choose_password": "비밀번호 정하기",
    "auth.password_help": "8~72바이트",
    "auth.repeat_password": "비밀번호 다시 입력",
    # Settings (app_pages/settings.py)
    "settings.profile": "프로필",
    "settings.display_name": "표시 이름",
    "settings.save_profile": "프로필 저장",
    "settings.profile_saved": "프로필을 저장했습니다.",
    "settings.change_password": "비밀번호 변경",
    "settings.current_password": "현재 비밀번호",
    "settings.new_password": "새 비밀번호",
    "settings.repeat_new_password": "새 비밀번호 다시 입력",
    "settings.new_passwords_differ": "새 비밀번호 두 개가 서로 다릅니다.",
    "settings.password_changed": "비밀번호를 바꿨습니다.",
    "settings.costs": "거래 비용",
    "settings.costs_caption": "다른 비용 조건으로 연습해 보세요: 수수료 0~1%, 슬리피지 0~100bp.",
    "settings.maker_fee": "메이커 수수료 (%)",
    "settings.taker_fee": "테이커 수수료 (%)",
    "settings.slippage": "슬리피지 (bp)",
    "settings.save_costs": "비용 저장",
    "settings.costs_saved": "비용을 저장했습니다. 다음 주문부터 적용됩니다.",
    "settings.reset": "계정 초기화",
    "settings.reset_caption": (
        "새 가상 잔고로 다시 시작합니다. 지금 계정은 내역과 함께 보관되고, 미체결 주문은 취소됩니다."
    ),
    "settings.reset_confirm": "네, 제 계정을 보관하고 다시 시작합니다",
    "settings.reset_button": "계정 초기화",
    "settings.reset_done": "{cash} USDT로 새 계정이 준비되었습니다.",
    # Settings: the watchlist (ui/watchlist_settings.py)
    "wl.title": "관심 종목",
    "wl.caption": (
        "모두에게 기본으로 보이는 {everyone} 외에 따로 지켜볼 종목입니다. 모든 종목 선택 목록의 맨 "
        "앞에 나오고 대시보드에 시세 타일이 생깁니다. 최대 {limit}개까지 담을 수 있고, 여기서 거래할 "
        "수 있는 종목은 {count}개입니다."
    ),
    "wl.add": "종목 추가",
    "wl.placeholder": "{count}개 종목에서 검색 (예: DOGE)",
    "wl.add_button": "관심 종목에 추가",
    "wl.pick_first": "먼저 종목을 입력하거나 고르세요 (예: DOGEUSDT).",
    "wl.added": "{symbol}을(를) 관심 종목에 추가했습니다.",
    "wl.empty": "아직 관심 종목이 없습니다.",
    "wl.not_tradable": " (이제 여기서 거래할 수 없음)",
    "wl.remove": "삭제",
    "wl.removed": "{symbol}을(를) 관심 종목에서 삭제했습니다.",
    # Settings: fill notifications (ui/webhook_settings.py)
    "hook.title": "체결 알림",
    "hook.caption": (
        "내 계정과 대회 계정(``account_id``로 구분)에서 체결이나 스톱 발동이 있을 때마다 내 주소로 "
        "POST를 보냅니다: 일반 JSON(Idempotency-Key 헤더 포함), 또는 Slack이나 Discord 수신 웹훅. "
        "최소 한 번은 전송되며, 수신 서버가 멈춰 있으면 약 하루 동안 간격을 늘려 가며 다시 보냅니다."
    ),
    "hook.url": "웹훅 URL",
    "hook.format": "형식",
    "hook.json": "일반 JSON",
    "hook.save": "웹훅 저장",
    "hook.saved": "저장했습니다. 다음 체결부터 그 주소로 보냅니다.",
    "hook.remove": "웹훅 삭제",
    "hook.removed": "삭제했습니다. 더 이상 보내지 않습니다.",
    "hook.no_log": "아직 알림이 없습니다. 알림이 대기열에 들어가면 여기에 하나씩 나옵니다.",
    "hook.pending": "재시도 대기",
    "hook.delivered": "전달됨",
    "hook.failed": "포기함",
    "hook.stop_triggered": "스톱 발동",
    "hook.fill": "체결",
    "hook.col_event": "이벤트",
    "hook.col_time": "시장 시각",
    "hook.col_status": "상태",
    "hook.col_attempts": "시도 횟수",
    "hook.col_answer": "응답",
    "hook.col_error": "마지막 오류",
    "hook.col_next": "다음 시도",
    "hook.col_key": "키",
}
