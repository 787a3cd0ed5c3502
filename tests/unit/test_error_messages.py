"""Every refusal can be told in English and in Korean (issue 16).

The catalog (:mod:`sim.domain.messages`) has both languages for every key, with the same fields;
every key a raise site names exists; the files listed in :data:`CONVERTED` make no SimError without
a key; and real refusals through the facade read in Korean with ``localized("ko")`` while ``str()``
stays the English text callers have always shown.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from sim.adapters.market import InMemoryMarket
from sim.domain import errors
from sim.domain.errors import (
    AuthError,
    CompetitionClosed,
    CompetitionRefused,
    InsufficientFunds,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
    SimError,
    SymbolNotTrading,
    UnknownSymbol,
)
from sim.domain.messages import CATALOG, LANGUAGES, TERMS, Term, fields, render
from sim.services import Simulator
from sim.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "sim"
HANGUL = range(0xAC00, 0xD7A4)

# Files whose every SimError is made with a catalog key (``Error.of(key, ...)``). A file joins
# this list once converted; the test below keeps it converted.
CONVERTED = (
    "sim/domain/values.py",
    "sim/domain/orders.py",
    "sim/domain/instruments.py",
    "sim/domain/account.py",
    "sim/domain/costs.py",
    "sim/domain/fills.py",
    "sim/domain/trailing.py",
    "sim/universe.py",
    "sim/service_layer/decisions.py",
    "sim/service_layer/trading.py",
    "sim/service_layer/orders.py",
    "sim/service_layer/accounts.py",
    "sim/service_layer/matching.py",
    "sim/domain/users.py",
    "sim/users.py",
    "sim/logins.py",
    "sim/user_api.py",
    "sim/domain/competition.py",
    "sim/service_layer/competition_access.py",
    "sim/service_layer/competitions.py",
    "sim/domain/ranking.py",
    "sim/standings.py",
    "sim/domain/language.py",
    "sim/domain/webhooks.py",
    "sim/watch_api.py",
    "sim/domain/ids.py",
    "sim/domain/filters.py",
    "sim/backtest_service.py",
    "sim/pagination.py",
    "sim/history.py",
    "sim/adapters/history/base.py",
    "sim/backtest_forecast.py",
    "sim/forecasting.py",
    "sim/reports/store.py",
    "sim/assistant/tools_orders.py",
    "sim/adapters/ledger/repository.py",
)
# Made without a key on purpose: infrastructure failures carry the failing call in English (for
# the operator) and say "try again" in every language through ServiceUnavailable.localized.
KEYLESS_ON_PURPOSE = frozenset({"ServiceUnavailable"})


def _korean(text: str) -> bool:
    return any(ord(c) in HANGUL for c in text)


# --- the catalog ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_has_every_language_with_the_same_fields(key: str) -> None:
    templates = CATALOG[key]
    assert set(templates) == set(LANGUAGES), f"{key} has {sorted(templates)}, wants {LANGUAGES}"
    english = fields(templates["en"])
    for lang, template in templates.items():
        assert template.strip(), f"{key} is empty in {lang}"
        assert fields(template) == english, f"{key}: {lang} fields {fields(template)} != en {english}"
    assert _korean(templates["ko"]), f"{key}: the Korean text has no Korean in it"


def test_a_key_in_one_language_only_fails_the_check() -> None:
    """The check above on a catalog made wrong on purpose (the test tests itself)."""
    broken = {"en": "Order {order} is gone.", "ko": "주문이 없습니다."}
    assert fields(broken["en"]) != fields(broken["ko"])
    assert set({"en": "x"}) != set(LANGUAGES)


def test_every_term_has_a_korean_word() -> None:
    assert set(TERMS) == set(LANGUAGES) - {"en"}
    for word, korean in TERMS["ko"].items():
        assert word.strip() and korean.strip(), word


def _keys_named_in(path: Path) -> Iterator[tuple[str, int, str]]:
    """Every string literal passed as the key of ``X.of(key, ...)``, ``render(key, ...)`` or
    ``self._keep(key, ...)``: (key, line, call)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        first = node.args[0]
        if (
            name in ("of", "render", "_keep")
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            yield first.value, node.lineno, name


def test_every_key_a_raise_site_names_exists() -> None:
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {key!r}"
        for path in sorted(SIM.rglob("*.py"))
        for key, line, _ in _keys_named_in(path)
        if key not in CATALOG
    ]
    assert not missing, "keys not in the catalog:\n" + "\n".join(missing)


# --- raise sites: converted and remaining --------------------------------------------------------


def _sim_error_names() -> set[str]:
    import sim.services  # noqa: F401 (imports the modules that define SimError subclasses)

    found: set[str] = set()
    todo: list[type] = [SimError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _error_calls(path: Path, names: set[str]) -> Iterator[tuple[int, bool]]:
    """(line, keyed) of every SimError made in ``path``: ``Name(...)`` is keyless, ``Name.of(...)``
    keyed (SymbolNotTrading keys itself, so its plain call counts as keyed)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names:
            yield node.lineno, func.id in ("SymbolNotTrading",)
        elif isinstance(func, ast.Attribute) and func.attr == "of" and _named(func.value, names):
            yield node.lineno, True


def _named(node: ast.expr, names: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in names


def _coverage() -> dict[str, tuple[int, int]]:
    names = _sim_error_names() - KEYLESS_ON_PURPOSE - {"SimError"}
    result = {}
    for path in sorted(SIM.rglob("*.py")):
        calls = list(_error_calls(path, names))
        if calls:
            keyed = sum(1 for _, k in calls if k)
            result[str(path.relative_to(ROOT))] = (keyed, len(calls))
    return result


@pytest.mark.parametrize("name", CONVERTED)
def test_a_converted_file_makes_no_sim_error_without_a_key(name: str) -> None:
    names = _sim_error_names() - KEYLESS_ON_PURPOSE - {"SimError"}
    keyless = [line for line, keyed in _error_calls(ROOT / name, names) if not keyed]
    assert not keyless, f"{name} makes a SimError without a catalog key at lines {keyless}"


def test_coverage_of_the_raise_sites(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints how many SimErrors are made with a key, file by file (``-s`` shows it)."""
    coverage = _coverage()
    keyed = sum(k for k, _ in coverage.values())
    total = sum(n for _, n in coverage.values())
    with capsys.disabled():
        print(f"\nSimErrors made with a catalog key: {keyed} of {total} sites")
        for name, (k, n) in coverage.items():
            if k < n:
                print(f"  {name}: {k}/{n}")
    assert keyed >= len(CONVERTED)
    for name in CONVERTED:
        k, n = coverage.get(name, (0, 0))
        assert k == n, name


# --- the mechanism ---------------------------------------------------------------------------------


def test_str_is_english_and_localized_is_korean() -> None:
    err = InvalidInput.of("number.not_positive", field=Term("limit price"), value=Decimal("-1"))
    assert str(err) == "limit price must be greater than zero, got -1."
    assert err.localized("en") == str(err)
    assert err.localized("ko") == "지정가 값은 0보다 커야 합니다. 입력값: -1."
    assert err.localized("fr") == str(err)  # a language without a catalog: English
    assert err.key == "number.not_positive" and not err.retryable


def test_an_error_without_a_key_is_the_same_in_every_language() -> None:
    err = InvalidInput("An old message.")
    assert err.localized("ko") == err.localized("en") == "An old message."


def test_a_symbol_that_stopped_trading_keys_itself() -> None:
    err = SymbolNotTrading("BTCUSDT", "BREAK")
    assert str(err) == (
        "BTCUSDT is not trading on Binance (status BREAK): it cannot be tracked or traded until "
        "Binance lists it as TRADING again."
    )
    assert "BTCUSDT" in err.localized("ko") and "BREAK" in err.localized("ko")
    assert _korean(err.localized("ko"))


def test_an_unavailable_service_asks_to_try_again_in_korean() -> None:
    err = ServiceUnavailable("The ledger database did not answer; try again.", "database")
    assert str(err) == "The ledger database did not answer; try again."
    assert err.retryable
    assert "데이터베이스" in err.localized("ko") and "다시 시도해 주세요" in err.localized("ko")
    busy = ServiceUnavailable("The account is being reset by many requests at once; try again.")
    assert "다시 시도해 주세요" in busy.localized("ko")


def test_a_quoted_error_is_translated_inside_the_message() -> None:
    inner = InvalidInput.of("number.not_positive", field=Term("quantity"), value=Decimal(0))
    assert render("number.not_positive", {"field": Term("price"), "value": inner}, "ko").startswith("가격")
    assert "수량" in render("number.not_positive", {"field": "x", "value": inner}, "ko")


# --- real refusals through the facade --------------------------------------------------------------

T0 = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> list[datetime]:
    """The market time the simulator reads (a test moves it by assigning ``clock[0]``)."""
    return [T0]


@pytest.fixture
def sim(tmp_path: Path, clock: list[datetime]) -> Iterator[Simulator]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
        slippage_bps=Decimal(0),
        admin_username="root",
    )
    simulator = Simulator.open(settings=settings, market=InMemoryMarket(), clock=lambda: clock[0])
    simulator.bcrypt_rounds = 4
    simulator.on_trade("BTCUSDT", Decimal("40000.00"), T0)
    yield simulator
    simulator.close()


def _refusal(call: object, *args: object, **kwargs: object) -> SimError:
    assert callable(call)
    with pytest.raises(SimError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_an_order_with_too_little_cash(sim: Simulator) -> None:
    user = sim.register("alice", "correct horse").id
    err = _refusal(sim.buy, user, "BTCUSDT", "10")
    assert isinstance(err, InsufficientFunds)
    assert str(err).startswith("Not enough free USDT: this order")
    assert err.localized("ko").startswith("사용 가능한 USDT가 부족합니다")


def test_an_unknown_symbol(sim: Simulator) -> None:
    user = sim.register("alice", "correct horse").id
    err = _refusal(sim.buy, user, "NOPEUSDT", "1")
    assert isinstance(err, UnknownSymbol)
    assert "Unknown symbol 'NOPEUSDT'" in str(err)
    assert "'NOPEUSDT'" in err.localized("ko") and _korean(err.localized("ko"))


def test_a_bad_quantity(sim: Simulator) -> None:
    user = sim.register("alice", "correct horse").id
    err = _refusal(sim.buy, user, "BTCUSDT", "1e-3")
    assert isinstance(err, InvalidInput)
    assert (
        str(err)
        == "quantity must be written in plain decimal notation (e.g. 0.001), not in exponent form '1e-3'."
    )
    assert (
        err.localized("ko")
        == "수량 값은 '1e-3' 같은 지수 표기 대신 일반 소수 표기(예: 0.001)로 입력해 주세요."
    )


def test_a_wrong_password(sim: Simulator) -> None:
    sim.register("alice", "correct horse")
    err = _refusal(sim.authenticate, "alice", "wrong horse")
    assert isinstance(err, AuthError)
    assert str(err) == "Wrong username or password."
    assert err.localized("ko") == "사용자 이름 또는 비밀번호가 올바르지 않습니다."


def test_joining_a_competition_twice(sim: Simulator) -> None:
    alice = sim.register("alice", "correct horse").id
    bob = sim.register("bob", "correct horse").id
    cid = sim.create_competition(alice, "Spring cup", T0 + timedelta(hours=1), T0 + timedelta(days=1))
    code = sim.competition(alice, cid)["invite_code"]
    sim.join_competition(bob, code)
    err = _refusal(sim.join_competition, bob, code)
    assert isinstance(err, CompetitionRefused)
    assert str(err) == "You already joined season 1 of 'Spring cup'."
    assert err.localized("ko") == "이미 'Spring cup' 시즌 1에 참가했습니다."


def test_a_wrong_invite_code(sim: Simulator) -> None:
    bob = sim.register("bob", "correct horse").id
    err = _refusal(sim.join_competition, bob, "NOSUCH-CODE")
    assert isinstance(err, NotFound)
    assert str(err) == "No competition has the invite code 'NOSUCH-CODE'; check it with the host."
    assert (
        err.localized("ko") == "초대 코드 'NOSUCH-CODE'에 해당하는 대회가 없습니다. 주최자에게 확인해 주세요."
    )


def test_an_order_after_the_competition_ended(sim: Simulator, clock: list[datetime]) -> None:
    alice = sim.register("alice", "correct horse").id
    bob = sim.register("bob", "correct horse").id
    cid = sim.create_competition(alice, "Spring cup", T0 + timedelta(hours=1), T0 + timedelta(days=1))
    trader = sim.join_competition(bob, sim.competition(alice, cid)["invite_code"])
    clock[0] = T0 + timedelta(days=2)
    sim.on_trade("BTCUSDT", Decimal("40000.00"), clock[0])
    err = _refusal(sim.buy, trader, "BTCUSDT", "0.001")
    assert isinstance(err, CompetitionClosed)
    assert str(err) == (
        "This competition ended at 2024-01-02 00:00 UTC: its standings are final and orders are refused."
    )
    assert (
        err.localized("ko")
        == "이 대회는 2024-01-02 00:00 UTC에 끝났습니다: 순위가 확정되어 주문을 받을 수 없습니다."
    )


def test_the_error_module_keeps_its_classes() -> None:
    assert errors.ServiceUnavailable.retryable and not errors.OrderRejected.retryable
