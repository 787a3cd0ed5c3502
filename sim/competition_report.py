"""A season's final report (:func:`sim.standings.report`) as a small self-contained HTML page, in
the reader's language.

Assumptions:
- Every word is in :data:`WORDS` (English is the text the page has always had); dates are written
  as the language writes them (:mod:`sim.domain.dates`), in market time (UTC); numbers print the
  same in every language.
- The score and tie rules are the frozen document's own text; when it is the rule of
  :mod:`sim.domain.ranking` (every season so far), another language reads its translation
  (:func:`sim.domain.ranking.rules`), otherwise the stored text is shown as it is.
- Every text from data (the competition's and entries' names) is HTML-escaped; the templates are
  trusted text.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from sim.domain import dates, ranking
from sim.domain.words import say

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "{competition} · season {season}",
        "heading": "{title}: final standings",
        "window": "{start} to {end}{early}; standings as of {as_of}.",
        "ended_early": " (ended early)",
        "utc": "{moment} UTC",
        "by_score": "By score",
        "by_return": "By return",
        "col_rank": "Rank",
        "col_name": "Name",
        "col_return": "Return",
        "col_drawdown": "Max drawdown",
        "col_score": "Score",
        "col_trades": "Trades",
        "unranked": "{have} of the {need} trades needed to be ranked",
    },
    "ko": {
        "title": "{competition} · 시즌 {season}",
        "heading": "{title}: 최종 순위",
        "window": "{start} ~ {end}{early}. 순위 기준 시각: {as_of}.",
        "ended_early": " (조기 종료)",
        "utc": "{moment} UTC",
        "by_score": "점수 기준",
        "by_return": "수익률 기준",
        "col_rank": "순위",
        "col_name": "이름",
        "col_return": "수익률",
        "col_drawdown": "최대 낙폭",
        "col_score": "점수",
        "col_trades": "거래 수",
        "unranked": "순위에 필요한 거래 {need}회 중 {have}회",
    },
}
COLUMNS = ("col_rank", "col_name", "col_return", "col_drawdown", "col_score", "col_trades")


def _rules(data: dict[str, Any], lang: str) -> tuple[str, str]:
    stored = (data["score_rule"], data["tie_rule"])
    return ranking.rules(lang) if stored == ranking.rules("en") else stored


def report_html(data: dict[str, Any], lang: str = "en") -> str:
    """:func:`sim.standings.report` as a small HTML page in ``lang`` (see the module docstring)."""
    e = html.escape

    def word(key: str, /, **params: object) -> str:
        return say(WORDS, lang, key, **params)

    def moment(t: datetime) -> str:
        return word("utc", moment=dates.when(t, lang))

    def table(rows: list[dict[str, Any]]) -> str:
        head = "<tr>" + "".join(f"<th>{word(n)}</th>" for n in COLUMNS) + "</tr>"
        body = "".join(
            f"<tr><td>{r['rank'] if r['rank'] is not None else e(_unranked(r))}</td><td>{e(r['name'])}</td>"
            f"<td>{r['ret']:.2%}</td><td>{r['max_drawdown']:.2%}</td><td>{r['score']:.4f}</td>"
            f"<td>{r['trades']}</td></tr>"
            for r in rows
        )
        return f"<table>{head}{body}</table>"

    def _unranked(r: dict[str, Any]) -> str:
        if lang == "en" or data.get("min_trades") is None:
            return str(r["reason"])
        return word("unranked", have=r["trades"], need=data["min_trades"])

    title = word("title", competition=e(data["competition"]), season=data["season"])
    early = word("ended_early") if data["ended_early"] else ""
    window = word(
        "window",
        start=moment(data["starts_at"]),
        end=moment(data["ends_at"]),
        early=early,
        as_of=moment(data["as_of"]),
    )
    score_rule, tie_rule = _rules(data, lang)
    return (
        f"<!doctype html><html lang='{e(lang)}'><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body>"
        f"<h1>{word('heading', title=title)}</h1>"
        f"<p>{window}</p>"
        f"<p>{e(score_rule)}</p><p>{e(tie_rule)}</p>"
        f"<h2>{word('by_score')}</h2>{table(data['by_score'])}<h2>{word('by_return')}</h2>{table(data['by_return'])}"
        "</body></html>"
    )
