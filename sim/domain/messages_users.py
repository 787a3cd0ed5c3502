"""Messages of users and logins (see :mod:`sim.domain.messages`): one English and one Korean
template per key, with the same fields; Korean is polite (합니다/해 주세요)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- names and passwords (sim.domain.users, sim.users) ---
    "user.name_not_text": {"en": "Username must be text.", "ko": "사용자 이름은 텍스트여야 합니다."},
    "user.name_length": {
        "en": "Username must be 3 to 32 characters long.",
        "ko": "사용자 이름은 3자에서 32자 사이여야 합니다.",
    },
    "user.name_characters": {
        "en": "Username may only contain letters, digits, '_', '.' and '-', and must start with a letter "
        "or digit.",
        "ko": "사용자 이름에는 문자, 숫자, '_', '.', '-'만 쓸 수 있고, 문자나 숫자로 시작해야 합니다.",
    },
    "user.password_not_text": {"en": "Password must be text.", "ko": "비밀번호는 텍스트여야 합니다."},
    "user.password_short": {
        "en": "Password must be at least 8 characters long.",
        "ko": "비밀번호는 8자 이상이어야 합니다.",
    },
    "user.password_long": {
        "en": "Password must be at most 72 bytes long (bcrypt's limit).",
        "ko": "비밀번호는 최대 72바이트까지 쓸 수 있습니다(bcrypt의 한도).",
    },
    "user.display_not_text": {"en": "Display name must be text.", "ko": "표시 이름은 텍스트여야 합니다."},
    "user.display_long": {
        "en": "Display name must be at most 64 characters.",
        "ko": "표시 이름은 최대 64자까지 쓸 수 있습니다.",
    },
    "user.display_characters": {
        "en": "Display name may not contain '<', '>' or control characters.",
        "ko": "표시 이름에는 '<', '>'나 제어 문자를 쓸 수 없습니다.",
    },
    "user.taken": {
        "en": "The username {name!r} is taken; choose another.",
        "ko": "사용자 이름 {name!r}은(는) 이미 쓰이고 있습니다. 다른 이름을 골라 주세요.",
    },
    "user.none": {"en": "There is no user {user}.", "ko": "사용자 {user}이(가) 없습니다."},
    # --- logins (sim.logins, sim.users, sim.user_api) ---
    "auth.wrong": {
        "en": "Wrong username or password.",
        "ko": "사용자 이름 또는 비밀번호가 올바르지 않습니다.",
    },
    "auth.current_wrong": {
        "en": "The current password is wrong.",
        "ko": "현재 비밀번호가 올바르지 않습니다.",
    },
    "auth.password_too_long": {
        "en": "Passwords are at most {most} bytes long (bcrypt's limit), so this one cannot be right.",
        "ko": "비밀번호는 최대 {most}바이트(bcrypt의 한도)이므로 이 비밀번호는 맞을 수 없습니다.",
    },
    "auth.throttled": {
        "en": "Too many failed logins for this account or from this address: wait {seconds} second(s) "
        "and try again.",
        "ko": "이 계정 또는 이 주소에서 로그인 실패가 너무 많습니다. "
        "{seconds}초 기다린 뒤 다시 시도해 주세요.",
    },
}
