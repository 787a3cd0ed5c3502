"""Korean messages read into the intents' English words (:mod:`sim.assistant.vocab`), so one set of
rules (:mod:`sim.assistant.intents`) answers both languages.

:func:`is_korean` says whether a message is Korean: it holds a Hangul syllable or jamo. The chat
then answers in Korean (:mod:`sim.assistant.replies`). :func:`to_english` rewrites a normalized
Korean message (:func:`sim.assistant.text.normalize`) piece by piece:

- a few phrases first (:data:`PHRASES`: 뭐 할 수 있어 -> "what can you do", 손해 봤어 -> "loss");
- each word (split on spaces, then into runs of Hangul and of other characters) loses its trailing
  particles (:data:`PARTICLES`: 을/를/이/가/은/는/에/에서/의/로/으로/도/만/좀 and a few more), at
  most two, unless the word itself is in the vocabulary (정확도 keeps its 도, 도지 its 도);
- coin names (:data:`COIN_NAMES`: 비트코인/비트 -> bitcoin, 이더리움/이더 -> ethereum, ...) become
  the English names, which :func:`sim.assistant.text.resolve_symbols` resolves against the tracked
  symbols only, and :func:`~sim.assistant.text.untracked_assets` reports as not tracked;
- keywords become English keywords: :data:`WORDS` whole, :data:`STEMS` by prefix, for words with
  endings (분석해줘 -> analysis, 얼마야 -> price, 안녕하세요 -> hello);
- a number with a Korean counter (:data:`COUNTER`): 0.01개 -> ``0.01``; 100달러(어치), 100테더,
  100 USDT어치 -> ``100 usdt``; 40000에 -> ``at 40000`` (a limit price); 4시간 -> ``4 h``;
  40000원 -> ``40000 krw`` (won: the chat never reads it as USDT); 25퍼센트, 25프로 -> ``25%``;
- a buy or sell verb (사줘, 사, 매수, 구매; 팔아줘, 팔아, 매도, 판매) is moved to the front as
  ``buy``/``sell``: Korean puts the verb last, the order rule reads the amount after the verb;
- Hangul words not in the vocabulary are dropped; Latin words, numbers and signs stay.

Assumption: 만 right after a number is the particle "only" (이더 0.5만 팔아 = sell only 0.5 ETH),
never the numeral ten thousand: 4만 is read as 4, so write 40000.
"""

from __future__ import annotations

import re

from sim.assistant.text import normalize

_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
HANGUL = re.compile(f"[{_HANGUL}]")
_RUNS = re.compile(f"[{_HANGUL}]+|[^{_HANGUL}]+")
_NUMBER = re.compile(r"\d[\d.,]*\d%?|\d%?")

#: particles and endings that follow a noun, longest first (만 "only", 좀 "please")
PARTICLES = (
    "에서",
    "으로",
    "까지",
    "부터",
    "에게",
    "한테",
    "이랑",
    "처럼",
    "보다",
    "이요",
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "에",
    "의",
    "로",
    "도",
    "만",
    "좀",
    "랑",
    "와",
    "과",
    "요",
)

#: Korean coin names -> the English name (or ticker) :mod:`sim.assistant.text` knows
COIN_NAMES: dict[str, str] = {
    "비트코인": "bitcoin",
    "비트": "bitcoin",
    "비코": "bitcoin",
    "이더리움": "ethereum",
    "이더": "ethereum",
    "이더리엄": "ethereum",
    "솔라나": "solana",
    "바이낸스코인": "binancecoin",
    "비앤비": "bnb",
    "바낸코": "binancecoin",
    "리플": "ripple",
    "엑스알피": "xrp",
    "도지코인": "dogecoin",
    "도지": "dogecoin",
    "에이다": "cardano",
    "카르다노": "cardano",
    "라이트코인": "litecoin",
    "폴카닷": "polkadot",
    "아발란체": "avalanche",
    "체인링크": "chainlink",
    "트론": "tron",
    "시바이누": "shiba inu",
    "폴리곤": "polygon",
    "모네로": "monero",
    "페페": "pepe",
}

#: whole words (after the particles are stripped)
WORDS: dict[str, str] = {
    "내": "my",
    "나의": "my",
    "다": "all",
    "전부": "all",
    "모두": "all",
    "전체": "all",
    "몽땅": "all",
    "전량": "all",
    "절반": "half",
    "반": "half",
    "반절": "half",
    "현금": "cash",
    "테더": "usdt",
    "왜": "why",
    "이유": "why",
    "뭐": "what",
    "뭐야": "what",
    "뭐지": "what",
    "뭔데": "what",
    "뭐예요": "what",
    "무엇": "what",
    "무엇인가요": "what",
    "뜻": "meaning",
    "의미": "meaning",
    "시간": "hour",
    "한": "one",
    "다음": "next",
    "지정가": "limit",
    "시장가": "",
    "도움": "help",
    "명령어": "commands",
    "기능": "features",
}

#: word beginnings (verbs and nouns with endings: 분석해줘, 얼마야, 수익률은), longest first
STEMS: tuple[tuple[str, str], ...] = (
    ("포트폴리오", "portfolio"),
    ("이동평균", "moving average"),
    ("상대강도", "rsi"),
    ("브라이어", "brier"),
    ("수익률", "performance"),
    ("변동성", "volatility"),
    ("정확도", "accuracy"),
    ("적중률", "accuracy"),
    ("신뢰도", "reliable"),
    ("볼린저", "bollinger"),
    ("과매수", "overbought"),
    ("과매도", "oversold"),
    ("지지선", "support"),
    ("저항선", "resistance"),
    ("거래량", "volume"),
    ("모멘텀", "momentum"),
    ("현재가", "price"),
    ("기술적", "technical"),
    ("도움말", "help"),
    ("포폴", "portfolio"),
    ("잔고", "balance"),
    ("잔액", "balance"),
    ("보유", "holdings"),
    ("계좌", "account"),
    ("자산", "equity"),
    ("수익", "profit"),
    ("손익", "pnl"),
    ("가격", "price"),
    ("시세", "price"),
    ("얼마", "price"),
    ("전망", "outlook"),
    ("예측", "forecast"),
    ("예상", "forecast"),
    ("오를", "go up"),
    ("오르", "go up"),
    ("올라", "go up"),
    ("상승", "go up"),
    ("떨어", "go down"),
    ("내릴", "go down"),
    ("하락", "go down"),
    ("분석", "analysis"),
    ("정확", "accurate"),
    ("적중", "hit"),
    ("성적", "track record"),
    ("추세", "trend"),
    ("지지", "support"),
    ("저항", "resistance"),
    ("이평", "moving average"),
    ("설명", "explain"),
    ("안녕", "hello"),
    ("반가", "hello"),
    ("고마", "thanks"),
    ("감사", "thanks"),
    ("손해", "loss"),
    ("손실", "loss"),
    ("잃", "loss"),
)

#: buy and sell verbs: whole words, and beginnings
BUY_VERBS = frozenset(
    {"사", "사줘", "사줘요", "사주세요", "사줄래", "사줄래요", "살래", "살게", "사자", "사요", "사고"}
    | {"사고싶어", "사려고", "사둬", "사놔", "사줄", "사주라", "사주셈", "삼", "사기"}
)
SELL_VERBS = frozenset({"팔", "팔래", "팔게", "팔자", "팔고", "팔기", "팔려고", "팔어", "팜"})
BUY_STEMS = ("매수", "구매", "구입", "사들")
SELL_STEMS = ("팔아", "매도", "판매", "처분", "청산")

#: what follows a number: a unit, 어치 ("worth"), 에 ("at": a limit price), particles
COUNTER = re.compile(
    r"(?P<unit>개|코인|달러|불|테더|원|시간|퍼센트|프로)?(?P<worth>어치|만큼)?(?P<at>에)?"
    r"(?:을|를|만|도|은|는|이|가|로|으로|씩|좀|정도|쯤)*"
)
UNITS = {"개": "", "코인": "", "달러": "usdt", "불": "usdt", "테더": "usdt", "원": "krw", "시간": "h"}
UNITS |= {"퍼센트": "%", "프로": "%"}

#: phrases read before the words
PHRASES: tuple[tuple[str, str], ...] = (
    (r"(?:뭐|뭘|무엇을?)\s*(?:를\s*)?할\s*수\s*있\S*", " what can you do "),
    (r"할\s*수\s*있는\s*(?:게|것|거)\S*", " what can you do "),
    (r"손해\s*(?:를\s*)?(?:봤|본|보)\S*", " loss "),
    (r"돈\s*(?:을\s*)?잃\S*", " loss "),
    (r"이동\s*평균\S*", " 이동평균 "),
)


_LATIN_SUFFIX = re.compile("(?:어치|만큼)?(?:" + "|".join(PARTICLES) + ")*")


def is_korean(text: str) -> bool:
    """True when ``text`` holds Hangul (a syllable or a jamo)."""
    return bool(HANGUL.search(text or ""))


def _strip(word: str) -> list[str]:
    """``word`` and the words left after taking off one, then two, trailing particles."""
    out = [word]
    for _ in range(2):
        w = out[-1]
        p = next((p for p in PARTICLES if w.endswith(p) and len(w) > len(p)), None)
        if p is None:
            break
        out.append(w[: -len(p)])
    return out


def _verb(word: str) -> str | None:
    """``buy``/``sell`` for a verb as typed (verbs take no particles: 사이 is not 사 + 이)."""
    if word in BUY_VERBS or word.startswith(BUY_STEMS):
        return "buy"
    if word in SELL_VERBS or word.startswith(SELL_STEMS):
        return "sell"
    return None


def _word(word: str) -> str | None:
    """The English for one Hangul word; None when it is not in the vocabulary."""
    for w in _strip(word):
        if w in COIN_NAMES:
            return COIN_NAMES[w]
        if w in WORDS:
            return WORDS[w]
        stem = next((en for ko, en in STEMS if w.startswith(ko)), None)
        if stem is not None:
            return stem
    return None


def to_english(text: str) -> str:
    """Normalized Korean ``text`` in the intents' English words; see the module docstring."""
    for pattern, english in PHRASES:
        text = re.sub(pattern, english, text)
    out: list[str] = []
    verb: str | None = None
    for chunk in text.split():
        previous: str | None = None  # the run before, inside this chunk
        for run in _RUNS.findall(chunk):
            if not HANGUL.match(run):
                out.append(run)
                previous = run
                continue
            number = out[-1] if out and _NUMBER.fullmatch(out[-1]) else None
            counter = COUNTER.fullmatch(run)
            if number is not None and counter is not None:
                unit = UNITS.get(counter["unit"] or "", "")
                value = number + unit if unit == "%" else f"{number} {unit}".strip()
                out[-1] = f"at {value}" if counter["at"] and unit != "h" else value
            elif previous is not None and _LATIN_SUFFIX.fullmatch(run):
                pass  # btc를, usdt어치: the particle of a Latin word
            elif _verb(run) is not None:
                verb = verb or _verb(run)
            else:
                out.extend((_word(run) or "").split())
            previous = run
    if verb is not None:
        out.insert(0, verb)
    return " ".join(out)


def reading(message: str) -> str:
    """``message`` normalized, and read into English words when it is Korean."""
    text = normalize(message)
    return to_english(text) if is_korean(text) else text


__all__ = ["COIN_NAMES", "PARTICLES", "is_korean", "reading", "to_english"]
