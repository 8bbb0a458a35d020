"""What a member-duty question asks beyond the unit and the incident.

A duty officer asks "一下子好几个人受伤，急救站要做什么" or "园区指挥部先做什么": the duty
written for that condition ("接到3人以上伤亡的呼救的，……") or the first, timed action ("10分钟内
通知……") is the one wanted, not the unit's general duties. Plain word overlap misses both: the
question says 好几个人受伤 where the plan says 3人以上伤亡, and 先 where the plan gives minutes.
"""
from __future__ import annotations

import re

_NUM = r"(?:\d+|[一二两三四五六七八九十百]+)"
# The question speaks of several people harmed at once.
_MANY_ASKED = re.compile(
    r"(?:好几|好多|十几|几十|几|多|数|一群|一批|大批|大量|成批|不少|很多|许多)(?:个|名|位|十个)?"
    r"(?:人|伤员|伤者|病人|学生|群众|乘客|工人|居民)|群死群伤|批量伤|群伤|多人")
_HARM = re.compile(r"伤|亡|死|中毒|被困|晕倒|昏迷|不适|烧|烫|病")
# A duty written for several casualties: "3人以上伤亡", "多人受伤", "批量伤员", "群体性中毒".
_MANY_WRITTEN = re.compile(rf"{_NUM}(?:人|名)(?:以上|及以上|或者以上)|多人|群体性?|批量|群伤|成批")
# The question asks for the first or a timed action.
_FIRST_ASKED = re.compile(r"先(?:做|干|要|办|采取|处理|干啥)|首先|第一时间|最先|第一步|头一件|"
                          r"多久|多长时间|多少时间|几分钟|几个?小时|时限|多快|多早")
_TIMED = re.compile(rf"{_NUM}(?:分钟|个?小时|天|日|个工作日)(?:之内|以内|内)|立即|第一时间|首先|"
                    r"先期|迅速|马上")

MANY_HURT = 2.5  # a duty written for the condition asked about
TIMED = 2.0  # a timed action when the first or a timed one is asked for


def asks_many_hurt(question: str) -> bool:
    return any(_HARM.search(question[m.start():m.end() + 8]) for m in _MANY_ASKED.finditer(question))


def written_for_many_hurt(text: str) -> bool:
    return any(_HARM.search(text[m.end():m.end() + 8]) for m in _MANY_WRITTEN.finditer(text))


def asks_first(question: str) -> bool:
    return bool(_FIRST_ASKED.search(question))


def timed(text: str) -> bool:
    return bool(_TIMED.search(text))


def focus_score(question: str, text: str) -> float:
    """How much a duty's own words answer what the question asks beyond unit and incident."""
    score = 0.0
    if asks_many_hurt(question) and written_for_many_hurt(text):
        score += MANY_HURT
    if asks_first(question) and timed(text):
        score += TIMED
    return score
