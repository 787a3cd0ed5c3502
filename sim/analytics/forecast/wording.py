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

Every function that writes words takes ``lang`` (``"en"`` by default: the English is unchanged);
the words are :data:`.words.WORDS`. :func:`validation_summary` stores English (``model_label``,
``record_scope``) with the forecast; the pooled label is worded again at display time from the
structured fields (``pooled``, ``trained_on_symbol``, ``trained_on``, ``symbol``), falling back to
the names in the stored English label for forecasts stored before those fields existed.
"""

from __future__ import annotations

from typing import Any

from sim.analytics.forecast.skill import LEVEL, direction_unproven
from sim.analytics.forecast.words import DIRECTION_DISCLOSURE, word


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
            "trained_on": list(pooled.get("trained_on", [])),
            "symbol": symbol,
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


def _interval(part: dict[str, Any], lang: str = "en") -> str:
    return word(
        lang,
        "interval",
        skill=f"{part['skill']:+.3f}",
        level=f"{LEVEL:.0%}",
        low=f"{part['low']:+.3f}",
        high=f"{part['high']:+.3f}",
    )


def skill_text(validation: dict[str, Any], lead: str = "", lang: str = "en") -> str:
    """The two skills with their intervals after ``lead``, or "" when the card has no split."""
    split = validation.get("skill_split") or {}
    move, direction = split.get("move_vs_flat"), split.get("direction")
    if not move or not direction:
        return ""
    return lead + word(lang, "skill", move=_interval(move, lang), direction=_interval(direction, lang))


def short_record(validation: dict[str, Any], lang: str = "en") -> str:
    """ "leave-one-symbol-out skill: move vs flat +0.028 [+0.023, +0.034], direction +0.009 [...]"
    for the pooled model (the record that fits the symbol), "" otherwise."""
    split = validation.get("skill_split") or {}
    if not validation.get("pooled") or not split.get("move_vs_flat") or not split.get("direction"):
        return ""
    scope = word(lang, "scope_walk_forward" if validation.get("trained_on_symbol") else "scope_loso")
    move, direction = split["move_vs_flat"], split["direction"]
    return word(
        lang,
        "short_record",
        scope=scope,
        move=f"{move['skill']:+.3f}",
        move_low=f"{move['low']:+.3f}",
        move_high=f"{move['high']:+.3f}",
        direction=f"{direction['skill']:+.3f}",
        direction_low=f"{direction['low']:+.3f}",
        direction_high=f"{direction['high']:+.3f}",
    )


def disclosure(validation: dict[str, Any], lang: str = "en") -> str | None:
    """:data:`DIRECTION_DISCLOSURE` (in ``lang``) when the direction interval includes zero, else None."""
    if not direction_unproven(validation.get("skill_split") or {}):
        return None
    return word(lang, "disclosure")


def model_label(validation: dict[str, Any], lang: str = "en") -> str:
    """ "pooled model, not trained on DOGEUSDT", or "" for a symbol's own model.

    In English the stored label is returned as it is; in another language the label is worded from
    ``trained_on`` / ``symbol`` (or, for a forecast stored without them, from the names after
    "trained on " in the stored English label)."""
    stored = str(validation.get("model_label") or "")
    if lang == "en" or not validation.get("pooled"):
        return stored
    after = stored.rpartition("trained on ")[2]
    if validation.get("trained_on_symbol"):
        names = ", ".join(validation.get("trained_on") or []) or after
        return word(lang, "pooled_trained", names=names)
    return word(lang, "pooled_not_trained", symbol=validation.get("symbol") or after)


def headline_note(validation: dict[str, Any], lang: str = "en") -> str:
    """What goes right after a headline such as "Most likely: up": the pooled label and the
    disclosure, joined with "; " (empty when neither applies)."""
    parts = (model_label(validation, lang), disclosure(validation, lang) or "")
    return "; ".join(x for x in parts if x)


__all__ = [
    "DIRECTION_DISCLOSURE",
    "disclosure",
    "headline_note",
    "model_label",
    "short_record",
    "skill_text",
    "validation_summary",
]
