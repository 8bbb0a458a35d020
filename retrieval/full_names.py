"""Say which unit a document's short name means, in the answer itself.

Plans shorten names once and use the short form after: "自治区交通运输厅应急管理工作领导小组（以下
简称“领导小组”）", and a department's plan names its own divisions bare ("设在建设管理处": the
issuing 厅's 处). A duty officer reading "由领导小组启动" out of its document needs the full name;
so does anyone comparing plans of several departments. Both are read off the document itself
(its 以下简称 definitions, its issuer), never from a list of names.
"""
from __future__ import annotations

import re

from retrieval.contract import first_sentence

_DEFINED = re.compile(r"[（(]\s*以下(?:简称|称)\s*[“\"「]?([^”\"」）)]{2,20}?)[”\"」]?\s*[）)]")
# Where the full name before a definition starts: after punctuation, a preposition or a verb
# introducing it ("……由自治区交通运输厅应急管理工作领导小组（以下简称……）").
_BEFORE_NAME = re.compile(r"^.*(?:由|包括|成立|设立|组建|建立|称为|规范|加强|所称|是指|是|经)(?=.)", re.S)
# A unit's name ends as units do (指挥部, 领导小组, 委员会, 管理局, 机构, 中心).
_UNIT_END = re.compile(r"(?:部|会|组|局|处|室|厅|委|院|中心|所|队|站|办|机构|政府|单位|公司)$")
_LEADING_JOIN = re.compile(r"^(?:和|及|与|以及|、|的)+")


def _abbreviates(short: str, full: str) -> bool:
    """The short form's characters appear in the full name in order (区防指 of 某区防汛防台指挥部;
    本局 of the issuing 局 itself)."""
    rest = iter(full)
    return all(ch in rest for ch in short.removeprefix("本"))


def defined_short_forms(text: str) -> dict[str, str]:
    """Short form → full name, for every "X（以下简称“Y”）" in the text."""
    out: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        short = m.group(1).strip()
        before = text[max(0, m.start() - 60):m.start()]
        # punctuation ends the segment only outside the 、-lists inside a name ("市、县级……机构")
        seg = re.split(r"[，。；：）)”\n]", before)[-1]
        full = _LEADING_JOIN.sub("", _BEFORE_NAME.sub("", seg)).strip()
        if (len(short) < len(full) <= 40 and _abbreviates(short, full) and _UNIT_END.search(full)
                and short not in out):
            out[short] = full
    return out


# A division of the issuing department named bare: "建设管理处", "安全监督处" (not 应急处置, 处理).
_DIVISION = re.compile(r"(?:^|(?<=[，、：；（])|(?<=设在)|(?<=由))(?:和|及|与|经)?(?!设在|由|在)"
                       r"([\u4e00-\u9fff]{2,6}?处)(?![置理分罚于在])")
_DEPARTMENT = re.compile(r"(?:厅|局|委员会|委)$")


def explain(sentence: str, short_forms: dict[str, str], issuer: str = "") -> list[str]:
    """Notes naming the full name of each short name the sentence uses: "“领导小组”即……",
    "建设管理处即广西壮族自治区交通运输厅建设管理处"."""
    notes: list[str] = []
    for short, full in short_forms.items():
        if short in sentence and full not in sentence:
            notes.append(f"“{short}”即{full}")
    if issuer and _DEPARTMENT.search(issuer):
        for m in _DIVISION.finditer(sentence):
            name = m.group(1)
            if not re.match(r"^(?:厅|局|各|该|本|此|相关|有关)", name) and issuer + name not in sentence:
                notes.append(f"{name}即{issuer}{name}")
    return list(dict.fromkeys(notes))


def with_notes(answer: str, notes: list[str]) -> str:
    """The answer with the notes in brackets at the end of its first sentence."""
    if not notes:
        return answer
    note = "（" + "；".join(notes) + "）"
    first = first_sentence(answer)
    if first and first[-1] in "。！？!?\n":  # the sentence's end mark stays after the note
        return first[:-1] + note + answer[len(first) - 1:]
    return answer + note
