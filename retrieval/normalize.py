"""Question normalisation: width, whitespace, and the shorthand duty officers type.

Three layers, each cheap and each reversible by reading it:
- `normalize_question`: NFKC (full/half width), no whitespace, SHORTHAND expanded;
- `learn_shorthand`: more shorthand induced from the taxonomy's own alias pairs
  (危化品储罐 ~ 危险化学品储罐 teaches 危化品 → 危险化学品), so a bureau's alias tables extend it;
- `colloquial`: how people describe what they see (煤气味很重, 冒黑烟, 人挤人, 塔吊倒了) rewritten
  into the wording the documents and the taxonomy use (燃气泄漏, 着火, 拥挤踩踏, 塔吊倒塌). The
  linker tries it only when the question as asked names no incident type, so an exact taxonomy
  alias always wins over a rewrite.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# Shorthand → the words the documents use. Longest first when applied.
SHORTHAND: dict[str, str] = {
    "危化品": "危险化学品",
    "危化": "危险化学品",
    "煤气": "燃气",
    "天然气": "燃气",
    "液化气": "燃气",
}

# Symptom descriptions → document wording. Patterns are general Chinese usage, not corpus text.
COLLOQUIAL: list[tuple[str, str]] = [
    (r"(?:燃气|煤气|天然气|液化气)(?:的)?(?:味道?|气味|臭味)(?:很|特别|非常|好)?(?:重|大|浓|冲)?|闻到(?:一股)?(?:燃气|煤气|天然气|液化气)?(?:臭)?(?:味道?|气味)|漏气了?", "燃气泄漏"),
    (r"(?:冒|着|窜|起)(?:了)?(?:黑|浓|白)?烟|浓烟(?:滚滚)?|烧起来了?|火光|明火|火苗", "着火"),
    (r"人挤人|挤成一团|挤不动|人太多|人山人海|挤倒|被挤|推搡", "人群拥挤踩踏"),
    (r"(塔吊|塔机|起重机|吊车|升降机|脚手架|模板|房子|房屋|楼房|广告牌|招牌|店招|大树|树)(?:突然)?(?:倒了|倒下|倒塌了?|塌了|砸下来|掉下来|翻了|歪了|断了)", r"\1倒塌"),
    (r"(?:被)?困在电梯|电梯(?:里)?(?:关|困|卡)(?:住)?(?:了)?人|电梯(?:停|卡)(?:住|在)", "电梯困人"),
    (r"(?:车|汽车|轿车|货车|卡车)(?:撞|追尾|翻)(?:了|车)?", "交通事故"),
    (r"(?:吃了?|吃完|食用)[^，,。；;]{0,8}(?:拉肚子|呕吐|上吐下泻|中毒|不舒服)", "食物中毒"),
    (r"(?:水|积水)(?:淹|漫|灌)(?:了|进)?|被淹|进水了", "积水"),
    (r"没电了?|停电了|断电了", "停电"),
    (r"没水了?|停水了", "停水"),
    # "路面突然塌了个坑", "马路上陷下去一个大洞", "人行道出现一个深坑"
    (r"(?:地面|路面|马路|道路|人行道|路基)(?:上)?(?:突然|忽然|一下子|整块)?"
     r"(?:(?:塌|陷|下沉|沉陷|凹陷|坍塌|塌方)(?:了|陷|下去)?(?:(?:一|了)?个?(?:大|深)?(?:坑|洞))?"
     r"|(?:出现|冒出|裂开)(?:了)?(?:一|个|一个)?(?:大|深)?(?:坑|洞|天坑))|塌陷了", "地面塌陷"),
]
_COLLOQUIAL = [(re.compile(p), r) for p, r in COLLOQUIAL]


def normalize_question(text: str, shorthand: dict[str, str] | None = None) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    table = SHORTHAND if shorthand is None else {**SHORTHAND, **shorthand}
    for short in sorted(table, key=len, reverse=True):
        if short in text and table[short] not in text:
            text = text.replace(short, table[short])
    return text


def colloquial(text: str) -> str:
    """`text` with symptom descriptions rewritten into document wording (unchanged if none)."""
    for pattern, repl in _COLLOQUIAL:
        text = pattern.sub(repl, text)
    return text


def in_order(short: str, text: str) -> bool:
    """Every character of `short` occurs in `text`, in the same order: how Chinese shorthand
    is made (危化品 in 危险化学品, 卫健委 in 卫生健康委员会)."""
    it = iter(text)
    return all(ch in it for ch in short)


def _is_abbreviation(short: str, long: str) -> bool:
    """Chinese shorthand keeps characters in order and starts with the same one (危化品 ⊂ 危险化学品)."""
    if not short or len(short) >= len(long) or short[0] != long[0]:
        return False
    return in_order(short, long)


def learn_shorthand(pairs: Iterable[tuple[str, str]], min_support: int = 2) -> dict[str, str]:
    """Shorthand induced from (alias, canonical name) pairs of the taxonomy.

    When an alias and its name share a suffix (储罐, 运输车辆…) the differing heads are a
    shorthand/long-form pair if the short head abbreviates the long one. A pair seen at least
    `min_support` times becomes a rule. (A whole alias that abbreviates its name, 区应急局, is
    no rule: the gazetteer already links it, and rewriting it in running text would not be safe.)
    """
    seen: Counter[tuple[str, str]] = Counter()
    for alias, name in pairs:
        a, n = re.sub(r"\s+", "", alias), re.sub(r"\s+", "", name)
        if a == n:
            continue
        k = 0
        while k < min(len(a), len(n)) and a[-1 - k] == n[-1 - k]:
            k += 1
        if k < 2:
            continue
        short, long = a[:-k], n[:-k]
        if len(short) >= 2 and _is_abbreviation(short, long):
            seen[(short, long)] += 1
    out: dict[str, str] = {}
    for (short, long), count in seen.most_common():
        if count >= min_support and short not in out:
            out[short] = long
    return out


def char_bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK/alphanumeric text: a fuzzy match that needs no segmenter."""
    t = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}
