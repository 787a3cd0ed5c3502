"""What a forecast says about its model: the record chosen for the symbol, the label, the disclosure."""

from sim.analytics.forecast.wording import (
    DIRECTION_DISCLOSURE,
    disclosure,
    headline_note,
    short_record,
    skill_text,
    validation_summary,
)


def split(low: float, high: float) -> dict:
    return {
        "move_vs_flat": {"skill": 0.03, "low": 0.02, "high": 0.04, "n": 100},
        "direction": {"skill": (low + high) / 2, "low": low, "high": high, "n": 60},
    }


SCORES = {"xgboost": {"accuracy": 0.45}, "majority": {"accuracy": 0.41}}
POOLED_CARD = {
    "pooled": {"trained_on": ["BTCUSDT", "ETHUSDT"]},
    "validation": {
        "folds": [{}, {}],
        "loso": {
            "per_symbol": {"BTCUSDT": {"scores": SCORES, "skill_split": split(0.01, 0.02)}},
            "all": {"scores": SCORES, "skill_split": split(-0.01, 0.02)},
        },
        "in_pool": {"per_symbol": {"BTCUSDT": {"scores": SCORES, "skill_split": split(0.005, 0.02)}}},
    },
}


def test_a_symbol_outside_the_pool_gets_the_leave_one_symbol_out_record_and_the_label():
    v = validation_summary(POOLED_CARD, "DOGEUSDT")
    assert v["model_label"] == "pooled model, not trained on DOGEUSDT"
    assert v["skill_split"]["direction"]["low"] == -0.01  # the pooled LOSO record
    assert disclosure(v) == DIRECTION_DISCLOSURE
    assert headline_note(v) == f"pooled model, not trained on DOGEUSDT; {DIRECTION_DISCLOSURE}"
    assert short_record(v).startswith("leave-one-symbol-out skill: move vs flat +0.030 [+0.020, +0.040]")


def test_a_symbol_in_the_pool_gets_its_in_pool_record():
    v = validation_summary(POOLED_CARD, "BTCUSDT")
    assert v["model_label"] == "pooled model, trained on BTCUSDT, ETHUSDT"
    assert v["skill_split"]["direction"]["low"] == 0.005
    assert disclosure(v) is None
    assert short_record(v).startswith("walk-forward skill")


def test_an_own_model_card_has_no_label_and_discloses_only_an_interval_with_zero():
    card = {
        "validation": {
            "folds": [{}],
            "models": {},
            "skill_split": {"models": {"xgboost": split(-0.002, 0.01)}},
        }
    }
    v = validation_summary(card, "BTCUSDT")
    assert v["model_label"] == "" and short_record(v) == ""
    assert headline_note(v) == DIRECTION_DISCLOSURE
    assert skill_text(v) == (
        "skill vs climatology: move vs flat +0.030 (95% interval +0.020 to +0.040); direction, on the "
        "candles that moved, +0.004 (95% interval -0.002 to +0.010)"
    )
    assert skill_text({}) == "" and disclosure({}) == DIRECTION_DISCLOSURE
