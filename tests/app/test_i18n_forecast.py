"""The forecast beside the charts, the live track record and the charts' date ticks in Korean for a
Korean user (issue 16), and unchanged in English.

The served BTCUSDT 1h-h1 card's direction interval includes zero (:func:`models_with_direction`),
so the pooled-free caption carries the disclosure too."""

from __future__ import annotations

import json
import re

import pytest

from sim.analytics.forecast.wording import DIRECTION_DISCLOSURE
from tests.app.conftest import logged_in, no_exceptions
from tests.app.test_forecast_disclosure import models_with_direction
from tests.app.test_i18n import korean_user

TRADING = "app_pages/trading.py"
ASSISTANT = "app_pages/assistant.py"


@pytest.fixture
def env_with_model(tmp_path, monkeypatch, request):
    monkeypatch.setenv("MODELS_DIR", str(models_with_direction(tmp_path, -0.002, 0.011)))
    return request.getfixturevalue("env")


def _texts(at) -> str:
    return "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown])


def _forecast_caption(at) -> str:
    found = [c.value for c in at.caption if c.value.startswith(("1시간 뒤 예측", "Forecast 1h ahead"))]
    assert found, _texts(at)
    return found[0]


def _figures(at) -> list[dict]:
    from ui.charts import figure_json

    return [figure_json(frame.proto.srcdoc) for frame in at.get("iframe")]


def _english_words(text: str) -> list[str]:
    """English words in ``text`` (symbols, model ids, UTC, Brier and markdown aside)."""
    text = re.sub(r"[A-Z]{3,}USDT|BTCUSDT-1h-h1-\w+|\bUTC\b|\bBrier\b", " ", text)
    return re.findall(r"[A-Za-z]{2,}", text.replace("**", " "))


def test_a_korean_user_sees_the_forecast_and_the_track_record_in_korean(env_with_model):
    at = logged_in(korean_user(env_with_model))
    no_exceptions(at)
    caption = _forecast_caption(at)
    assert caption.startswith("1시간 뒤 예측: **") and "모델: 표본 외 정확도" in caption
    assert "움직임 대 보합" in caption and "이 모델은 가격이 움직일지를 예측할 뿐" in caption
    assert DIRECTION_DISCLOSURE not in caption
    assert not _english_words(caption), caption
    texts = _texts(at)
    assert "**실시간 예측 성적** (BTCUSDT, 1시간)" in texts and "Live track record" not in texts
    assert "아직 채점된 예측이 없습니다 (대기" in texts
    # the forecast drawn on the chart: its trace name and its label
    fig = _figures(at)[0]
    names = [trace.get("name", "") for trace in fig["data"]]
    assert any(n.startswith("예측: ") and "신뢰도" in n for n in names), names
    label = [a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "forecast label"]
    assert label and "다음 1h 캔들 1개" in label[0] and "next" not in label[0]
    # the chart's page registers the Korean plotly.js locale (date ticks in Korean)
    srcdoc = at.get("iframe")[0].proto.srcdoc
    assert 'Plotly.register({"moduleType": "locale", "name": "ko"' in srcdoc and 'locale: "ko"' in srcdoc

    at.switch_page(TRADING).run()
    no_exceptions(at)
    assert _forecast_caption(at).startswith("1시간 뒤 예측: **")
    assert all('locale: "ko"' in frame.proto.srcdoc for frame in at.get("iframe"))


def test_an_english_user_sees_the_same_english_as_before(env_with_model):
    at = logged_in(env_with_model.user())
    no_exceptions(at)
    caption = _forecast_caption(at)
    assert caption.startswith("Forecast 1h ahead: **") and f" — **{DIRECTION_DISCLOSURE}**" in caption
    assert (
        ". The model: out-of-sample accuracy " in caption and "skill vs climatology: move vs flat" in caption
    )
    texts = _texts(at)
    assert "**Live track record** (BTCUSDT, 1 h)" in texts and "No forecast scored yet (" in texts
    srcdoc = at.get("iframe")[0].proto.srcdoc
    assert "Plotly.register" not in srcdoc and 'locale: "ko"' not in srcdoc
    names = [trace.get("name", "") for trace in _figures(at)[0]["data"]]
    assert any(n.startswith("forecast: ") and n.endswith(" confidence)") for n in names), names


def test_the_assistant_page_words_the_forecast_and_its_record_in_korean(env_with_model):
    at = logged_in(korean_user(env_with_model), ASSISTANT)
    no_exceptions(at)
    texts = _texts(at)
    assert "이 모델은 가격이 움직일지를 예측할 뿐" in texts and DIRECTION_DISCLOSURE not in texts
    assert "표본 외 정확도" in texts and "out-of-sample" not in texts
    assert "skill vs climatology" not in texts
    srcdoc = at.get("iframe")[0].proto.srcdoc
    assert 'locale: "ko"' in srcdoc
    assert json.dumps("예측: ", ensure_ascii=False)[:-1] in srcdoc or "\\uc608\\uce21: " in srcdoc


def _panel_script() -> None:
    """A page holding only the track record panel, over a stub whose record has scored forecasts."""
    from types import SimpleNamespace

    import streamlit as st

    from ui import widgets

    score = SimpleNamespace(hit_rate=0.5, brier=0.6)
    record = SimpleNamespace(
        model=score,
        baselines={"last_move": SimpleNamespace(hit_rate=0.4, brier=0.7), "majority": score},
        n_scored=12,
        n_pending=1,
    )
    stub = SimpleNamespace(score_forecasts=lambda: None, track_record=lambda symbol, horizon: record)
    st.session_state["_lang"] = st.session_state.get("want", "en")
    widgets.track_record_panel(stub, "BTCUSDT", 1)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_scored_track_record_table_and_its_definitions(language):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_panel_script, default_timeout=30)
    at.session_state["want"] = language
    at.run()
    no_exceptions(at)
    table = at.dataframe[0].value
    caption = at.caption[0].value
    if language == "ko":
        assert list(table.columns) == ["예측기", "적중률", "Brier"]
        assert list(table["예측기"]) == ["모델", "직전 움직임", "다수 클래스"]
        assert caption.startswith("채점 12건, 대기 1건. 적중률: 채점된 예측 가운데")
        assert "0이 가장 좋고 2가 가장 나쁨" in caption
        assert at.markdown[0].value == "**실시간 예측 성적** (BTCUSDT, 1시간)"
    else:
        assert list(table.columns) == ["predictor", "hit rate", "Brier"]
        assert list(table["predictor"]) == ["model", "last move", "majority"]
        assert caption.startswith("12 scored, 1 pending. Hit rate: share of scored forecasts whose")
        assert at.markdown[0].value == "**Live track record** (BTCUSDT, 1 h)"
