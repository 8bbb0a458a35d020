"""Response-level conditions as predicates over casualty figures, to compare plans and find gaps.

"发生造成1人以上3人以下死亡，或者需转移群众100人以上的突发事件" reads as
deaths in [1, 3] OR evacuated >= 100. Alternatives are split at 或者/；. Inside one alternative,
restrictions (未造成人员伤亡, N人以下) must all hold, and triggers (造成人员死亡, N人以上,
N人以上M人以下) any one of them. Wording with no figures we know (用气户数, 预警信号) makes an
alternative that no scenario here satisfies, so it neither creates nor hides a gap in the
casualty figures. A bare severity ("发生一般事故") matches every scenario of that severity.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from kg.checks.text import norm

DIMENSIONS = ("deaths", "injuries", "evacuated")
DIM_CN = {"deaths": "死亡", "injuries": "重伤或受伤", "evacuated": "疏散转移"}
_DIM_WORDS = {"deaths": r"死亡", "injuries": r"重伤|受伤|中毒", "evacuated": r"转移|疏散|撤离"}
_SEVERITY = re.compile(r"(一般|较大|重大|特别重大)(?:以上)?(?:[^，。；、]{0,12}?)(?:事故|事件|灾害|火灾|险情)")
_ALT_SPLIT = re.compile(r"或者|；|;|，或")
_NUM = r"(\d+(?:\.\d+)?)(万)?"

# Scenarios of a 一般 (general) event: fewer than 3 deaths and 10 serious injuries.
GRID = {"deaths": (0, 1, 2), "injuries": (0, 1, 3, 5, 9), "evacuated": (0, 20, 30, 50, 100, 500)}


@dataclass
class Term:
    dim: str
    lo: float | None = None
    hi: float | None = None

    def holds(self, s: dict[str, float]) -> bool:
        v = s.get(self.dim, 0)
        return (self.lo is None or v >= self.lo) and (self.hi is None or v <= self.hi)


@dataclass
class Alternative:
    severity: str = ""
    restrictions: list[Term] = field(default_factory=list)
    triggers: list[Term] = field(default_factory=list)

    @property
    def understood(self) -> bool:
        return bool(self.severity or self.restrictions or self.triggers)

    def holds(self, s: dict[str, float]) -> bool:
        if not self.understood:
            return False
        if self.severity and self.severity != "一般":
            return False  # scenarios here are all 一般
        if not all(t.holds(s) for t in self.restrictions):
            return False
        return any(t.holds(s) for t in self.triggers) if self.triggers else bool(
            self.severity or self.restrictions)


def _num(m: re.Match, i: int) -> float:
    v = float(m.group(i))
    return v * 10000 if m.group(i + 1) else v


def parse_alternative(text: str) -> Alternative:
    t = norm(text)
    alt = Alternative()
    sev = _SEVERITY.search(t)
    if sev and "以上" not in sev.group(0)[:len(sev.group(1)) + 2]:
        alt.severity = sev.group(1)
    elif sev:
        alt.severity = sev.group(1) + "以上"
    if "未造成人员伤亡" in t or "无人员伤亡" in t:
        alt.restrictions += [Term("deaths", hi=0), Term("injuries", hi=0)]
    elif re.search(r"未造成(?:人员)?死亡|无人员死亡|未出现死亡", t):
        alt.restrictions.append(Term("deaths", hi=0))
    t2 = re.sub(r"未造成人员伤亡|无人员伤亡|未造成(?:人员)?死亡|无人员死亡|未出现死亡", "", t)
    if re.search(r"造成人员死亡|出现死亡", t2):
        alt.triggers.append(Term("deaths", lo=1))
    if re.search(r"造成人员(?:受伤|伤亡)", t2):
        alt.triggers.append(Term("injuries", lo=1))
    for dim, words in _DIM_WORDS.items():
        # Figures before the words ("3人以上10人以下死亡") and after them ("转移群众3人以上…");
        # a range is read first and cut out so its bounds are not read again as single figures.
        rest = t2
        for span, single in (
                (rf"{_NUM}人以上{_NUM}人以下(?:的)?(?:{words})", rf"{_NUM}人(以上|以下)?(?:的)?(?:{words})"),
                (rf"(?:{words})(?:群众|人员|居民)?{_NUM}人以上{_NUM}人以下",
                 rf"(?:{words})(?:群众|人员|居民)?{_NUM}人(以上|以下)")):
            for m in re.finditer(span, rest):
                alt.triggers.append(Term(dim, lo=_num(m, 1), hi=_num(m, 3)))
            rest = re.sub(span, "", rest)
            for m in re.finditer(single, rest):
                v = _num(m, 1)
                if m.group(3) == "以下":
                    alt.restrictions.append(Term(dim, hi=v))
                else:
                    alt.triggers.append(Term(dim, lo=v))
    return alt


def parse(condition: str) -> list[Alternative]:
    return [parse_alternative(p) for p in _ALT_SPLIT.split(condition or "") if p.strip()]


def numeric(alts: list[Alternative]) -> bool:
    """The condition speaks of casualty figures at all."""
    return any(a.restrictions or a.triggers for a in alts)


def scenarios() -> list[dict[str, float]]:
    keys = list(GRID)
    return [dict(zip(keys, vals)) for vals in itertools.product(*(GRID[k] for k in keys))]


def describe(s: dict[str, float]) -> str:
    parts = [f"{DIM_CN[d]}{int(v)}人" for d, v in s.items() if v]
    return "、".join(parts) if parts else "无人员伤亡"


def uncovered_ranges(covered, alts: list[Alternative]) -> list[str]:
    """One dimension at a time (the others 0): the ranges between the conditions' own
    thresholds that no level covers, e.g. "疏散转移30人以上100人以下的" (一般 events only)."""
    limits = {"deaths": 3, "injuries": 10}
    out = []
    for dim in DIMENSIONS:
        bounds = sorted({0.0, *(b for a in alts for t in a.restrictions + a.triggers if t.dim == dim
                                for b in (t.lo, t.hi) if b is not None)})
        cap = limits.get(dim)
        if cap is not None:
            bounds = [b for b in bounds if b < cap]
        points = []
        for i, b in enumerate(bounds):
            points.append((b, b, b))
            nxt = bounds[i + 1] if i + 1 < len(bounds) else (cap if cap is not None else b * 2 + 10)
            if nxt - b > 1 or (cap is not None and i + 1 == len(bounds) and nxt - b >= 1):
                mid = b + 1 if nxt - b == 2 else (b + nxt) / 2
                points.append((mid, b, nxt))
        gap: list[tuple] = []
        for v, lo, hi in points:
            if cap is not None and v >= cap:
                continue
            if not covered({**{d: 0 for d in DIMENSIONS}, dim: v}):
                gap.append((v, lo, hi))
        for v, lo, hi in gap:
            if lo == hi:
                continue  # an exact threshold alone: reported with its neighbouring range
            if hi - lo <= 2:
                out.append(f"{DIM_CN[dim]}{int(v)}人")
            elif cap is not None and hi == cap:
                out.append(f"{DIM_CN[dim]}{int(lo) or 1}人以上")
            else:
                out.append(f"{DIM_CN[dim]}{int(lo) or 1}人以上{int(hi)}人以下")
    return out
