"""Score the assistant on a QA file (the format of DESIGN.md).

Two sets of figures: the lenient one (an accepted string anywhere in the answer, per type) and
the strict one that judges every change — a direct answer (`status` answered) is right only when
its first sentence holds an accepted string; evidence holds when a quoted sentence does."""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from retrieval.contract import Answer, first_sentence


class QAItem(BaseModel):
    id: str
    question: str
    type: str
    answer: str = ""
    accept: list[str]
    source_file: str = ""
    evidence: str = ""


OUTCOMES = ("answered_right", "answered_wrong", "evidence_holds", "miss")
OUTCOME_CN = {"answered_right": "直接回答正确", "answered_wrong": "直接回答错误",
              "evidence_holds": "证据含答案", "miss": "未答出"}


class TypeScore(BaseModel):
    total: int = 0
    correct: int = 0
    outcomes: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


class EvalReport(BaseModel):
    by_type: dict[str, TypeScore] = Field(default_factory=dict)
    citation_total: int = 0
    citation_correct: int = 0
    latencies_ms: list[float] = Field(default_factory=list)
    failures: list[dict] = Field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.by_type.values())

    @property
    def accuracy(self) -> float:
        return sum(s.correct for s in self.by_type.values()) / self.total if self.total else 0.0

    def outcome(self, name: str) -> int:
        return sum(s.outcomes[name] for s in self.by_type.values())

    def outcome_rate(self, name: str) -> float:
        return self.outcome(name) / self.total if self.total else 0.0

    @property
    def citation_accuracy(self) -> float:
        return self.citation_correct / self.citation_total if self.citation_total else 0.0

    def percentile(self, p: float) -> float:
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] if xs else 0.0


def norm(text: str) -> str:
    """The DESIGN.md rule: NFKC, then no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def load_qa(path: Path) -> list[QAItem]:
    items = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(QAItem.model_validate_json(line))
            except ValueError as e:
                raise ValueError(f"{path} 第{n}行不是有效的问答记录：{e}") from e
    return items


def _joins(a: str, b: str) -> bool:
    """Two characters of one number: after NFKC "Ⅲ级" is "III级", which holds "II级"."""
    return bool(a and b) and ((a.isdigit() and b.isdigit()) or (a in "IVX" and b in "IVX"))


def occurs(needle: str, text: str) -> bool:
    """`needle` in `text`, not as a part of a longer number (5人 is not in 15人, Ⅱ级 not in Ⅲ级)."""
    start = 0
    while (i := text.find(needle, start)) >= 0:
        j = i + len(needle)
        if not (_joins(text[i - 1:i], needle[0]) or _joins(needle[-1], text[j:j + 1])):
            return True
        start = i + 1
    return False


def _holds(item: QAItem, text: str) -> bool:
    text = norm(text)
    return any(occurs(norm(a), text) for a in item.accept if a.strip())


def is_correct(item: QAItem, answer: Answer) -> bool:
    """The lenient figure: an accepted string anywhere in the answer text."""
    return _holds(item, answer.answer)


def outcome(item: QAItem, answer: Answer) -> str:
    """The strict figure for one question (OUTCOMES)."""
    if answer.status == "answered":
        return "answered_right" if _holds(item, first_sentence(answer.answer)) else "answered_wrong"
    if answer.status == "evidence" and any(_holds(item, c.quote) for c in answer.citations):
        return "evidence_holds"
    return "miss"


def cites_evidence(item: QAItem, answer: Answer) -> bool:
    ev = norm(item.evidence)
    return any(ev in norm(c.quote) or (norm(c.quote) in ev and len(norm(c.quote)) >= 8)
               for c in answer.citations)


def evaluate(items: Iterable[QAItem], ask: Callable[[str], Answer]) -> EvalReport:
    report = EvalReport()
    by_type: dict[str, TypeScore] = defaultdict(TypeScore)
    for item in items:
        answer = ask(item.question)
        ok = is_correct(item, answer)
        strict = outcome(item, answer)
        score = by_type[item.type]
        score.total += 1
        score.correct += ok
        score.outcomes[strict] += 1
        report.latencies_ms.append(answer.latency_ms)
        cited = None
        if item.evidence:
            cited = cites_evidence(item, answer)
            report.citation_total += 1
            report.citation_correct += cited
        if not ok or cited is False or strict != "answered_right":
            report.failures.append({"id": item.id, "type": item.type, "question": item.question,
                                    "accept": item.accept, "evidence": item.evidence,
                                    "outcome": strict, "correct": ok, "cited": cited,
                                    "got": answer.model_dump()})
    report.by_type = dict(sorted(by_type.items()))
    return report


def render(report: EvalReport) -> str:
    lines = ["严格评分（直接回答须在第一句给出答案）：",
             "题型                  题数   答对   答错   证据含答案   未答出   宽松准确率"]
    for t, s in report.by_type.items():
        o = s.outcomes
        lines.append(f"{t:<20}  {s.total:>4}  {o['answered_right']:>5}  {o['answered_wrong']:>5}"
                     f"  {o['evidence_holds']:>10}  {o['miss']:>7}   {s.accuracy:6.1%}")
    lines.append(f"{'总计':<18}  {report.total:>4}  {report.outcome('answered_right'):>5}"
                 f"  {report.outcome('answered_wrong'):>5}  {report.outcome('evidence_holds'):>10}"
                 f"  {report.outcome('miss'):>7}   {report.accuracy:6.1%}")
    lines.append("；".join(f"{OUTCOME_CN[o]} {report.outcome_rate(o):.1%}（{report.outcome(o)}）"
                          for o in OUTCOMES))
    lines.append(f"宽松准确率（答案任意位置含可接受答案）：{report.accuracy:.1%}"
                 f"（{sum(s.correct for s in report.by_type.values())}/{report.total}）")
    lines.append(f"引用准确率（引文包含证据）：{report.citation_accuracy:.1%}"
                 f"（{report.citation_correct}/{report.citation_total}）")
    lines.append(f"延迟：p50 {report.percentile(0.5):.1f} ms，p95 {report.percentile(0.95):.1f} ms")
    return "\n".join(lines)


def write_failures(report: EvalReport, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in report.failures:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
