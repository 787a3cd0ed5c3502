"""What a forecast's model knows, in words: the skill split, the direction disclosure, the label.

Everything here reads a forecast's ``validation`` summary (:func:`validation_summary`, copied from
the model card by :func:`.serve.predict`), so the Dashboard, Trading, the AI Assistant, the chat
and the chart say the same thing:

- :func:`skill_text`: "move vs flat skill +0.041 (95% interval +0.034 to +0.049); direction on
  the candles that moved +0.012 (+0.008 to +0.015)" (definitions in :mod:`.skill`);
- :func:`disclosure`: :data:`DIRECTION_DISCLOSURE` whenever the card's direction interval
  includes zero (:func:`.skill.direction_unproven`), else None;
- :func:`model_label`: "pooled model, not trained on DOGEUSDT" for a symbol the pooled model never
  saw, "pooled model, trained on BTCUSDT, ETHUSDT, ..." for one it did, "" for a symbol's own model.

For the pooled model the record quoted is the one that matches the symbol: the leave-one-symbol-out
record pooled over the shipped symbols for a symbol it was not trained on, the in-pool record of
that symbol for one it was.
"""

from __future__ import annotations

from typing import Any

from sim.analytics.forecast.skill import LEVEL, direction_unproven

DIRECTION_DISCLOSURE = (
    "this model forecasts whether the price moves, not which way: its up-vs-down skill on the "
    "candles that moved cannot be told from zero"
)


def _accuracy(scores: dict[str, Any]) -> dict[str, float]:
    return {name: float(s["accuracy"]) for name, s in scores.items()}


def validation_summary(card: dict[str, Any], symbol: str | None = None) -> dict[str, Any]:
    """The part of ``card`` a forecast carries, for ``symbol`` (matters for the pooled model)."""
    validation = card.get("validation", {})
    pooled = card.get("pooled")
    if pooled:
        trained = symbol in pooled.get("trained_on", [])
        section = validation.get("in_pool" if trained else "loso", {})
        record = section.get("per_symbol", {}).get(symbol) if trained else section.get("all")
        record = record or {}
        names = ", ".join(pooled.get("trained_on", []))
        return {
            "n_folds": len(validation.get("folds", [])),
            "accuracy": _accuracy(record.get("scores", {})),
            "skill_split": record.get("skill_split", {}),
            "pooled": True,
            "trained_on_symbol": trained,
            "model_label": (
                f"pooled model, trained on {names}" if trained else f"pooled model, not trained on {symbol}"
            ),
            "record_scope": (
                f"walk-forward on {symbol} with every shipped symbol's past"
                if trained
                else f"leave-one-symbol-out over {names}: trained without each in turn, scored on it"
            ),
            "promotion": None,
        }
    models = validation.get("models", {})
    split = validation.get("skill_split", {}).get("models", {}).get("xgboost", {})
    return {
        "n_folds": len(validation.get("folds", [])),
        "n_recent": validation.get("n_recent"),
        "recent_log_loss": {name: m["recent_log_loss"] for name, m in models.items()},
        "accuracy": {name: m["overall"]["accuracy"] for name, m in models.items()},
        "skill_split": split,
        "pooled": False,
        "model_label": "",
        "record_scope": "walk-forward out of sample",
        "promotion": card.get("promotion", {}).get("reason"),
    }


def _interval(part: dict[str, Any]) -> str:
    return f"{part['skill']:+.3f} ({LEVEL:.0%} interval {part['low']:+.3f} to {part['high']:+.3f})"


def skill_text(validation: dict[str, Any], lead: str = "") -> str:
    """The two skills with their intervals after ``lead``, or "" when the card has no split."""
    split = validation.get("skill_split") or {}
    move, direction = split.get("move_vs_flat"), split.get("direction")
    if not move or not direction:
        return ""
    return lead + (
        f"skill vs climatology: move vs flat {_interval(move)}; direction, on the candles that "
        f"moved, {_interval(direction)}"
    )


def short_record(validation: dict[str, Any]) -> str:
    """ "leave-one-symbol-out skill: move vs flat +0.028 [+0.023, +0.034], direction +0.009 [...]"
    for the pooled model (the record that fits the symbol), "" otherwise."""
    split = validation.get("skill_split") or {}
    if not validation.get("pooled") or not split.get("move_vs_flat") or not split.get("direction"):
        return ""
    scope = "walk-forward" if validation.get("trained_on_symbol") else "leave-one-symbol-out"
    move, direction = split["move_vs_flat"], split["direction"]
    return (
        f"{scope} skill: move vs flat {move['skill']:+.3f} [{move['low']:+.3f}, {move['high']:+.3f}], "
        f"direction {direction['skill']:+.3f} [{direction['low']:+.3f}, {direction['high']:+.3f}]"
    )


def disclosure(validation: dict[str, Any]) -> str | None:
    """:data:`DIRECTION_DISCLOSURE` when the direction interval includes zero, else None."""
    return DIRECTION_DISCLOSURE if direction_unproven(validation.get("skill_split") or {}) else None


def model_label(validation: dict[str, Any]) -> str:
    """ "pooled model, not trained on DOGEUSDT", or "" for a symbol's own model."""
    return str(validation.get("model_label") or "")


def headline_note(validation: dict[str, Any]) -> str:
    """What goes right after a headline such as "Most likely: up": the pooled label and the
    disclosure, joined with "; " (empty when neither applies)."""
    return "; ".join(x for x in (model_label(validation), disclosure(validation) or "") if x)


__all__ = [
    "DIRECTION_DISCLOSURE",
    "disclosure",
    "headline_note",
    "model_label",
    "short_record",
    "skill_text",
    "validation_summary",
]
