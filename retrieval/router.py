"""Intent routing by the question's wording, after normalisation."""
from __future__ import annotations

import re

# Ordered: the first matching intent wins.
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("support_units", re.compile(r"配合|协助|支援单位|参与单位|哪些单位参与|协同")),
    ("plan_for_incident", re.compile(
        r"(?:哪个|哪一个|什么|哪些|哪份|哪部)(?:应急)?预案|预案吗|适用.{0,6}预案|启动.{0,4}预案|按.{0,4}预案|依据.{0,4}预案")),
    ("lead_unit", re.compile(r"牵头|谁负责|谁管|哪个单位负责|哪个部门负责|主责|由谁|归谁|谁来处置|谁处置")),
]


def route(question: str) -> str:
    for intent, pattern in _RULES:
        if pattern.search(question):
            return intent
    return "passages"
