"""Score the assistant on a QA file (the format of DESIGN.md): accuracy per question type,
citation accuracy and latency — the figures every retrieval change is judged by."""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from retrieval.contract import Answer


class QAItem(BaseModel):
    id: str
    question: str
    type: str
    answer: str = ""
    accept: list[str]
    source_file: str = ""
    evidence: str = ""


class TypeScore(BaseModel):
    total: int = 0
    correct: int = 0

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


def is_correct(item: QAItem, answer: Answer) -> bool:
    text = norm(answer.answer)
    return any(norm(a) in text for a in item.accept if a.strip())


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
        score = by_type[item.type]
        score.total += 1
        score.correct += ok
        report.latencies_ms.append(answer.latency_ms)
        cited = None
        if item.evidence:
            cited = cites_evidence(item, answer)
            report.citation_total += 1
            report.citation_correct += cited
        if not ok or cited is False:
            report.failures.append({"id": item.id, "type": item.type, "question": item.question,
                                    "accept": item.accept, "evidence": item.evidence,
                                    "correct": ok, "cited": cited, "got": answer.model_dump()})
    report.by_type = dict(sorted(by_type.items()))
    return report


def render(report: EvalReport) -> str:
    lines = ["题型                  题数   正确   准确率"]
    for t, s in report.by_type.items():
        lines.append(f"{t:<20}  {s.total:>4}  {s.correct:>5}   {s.accuracy:6.1%}")
    lines.append(f"{'总计':<18}  {report.total:>4}  "
                 f"{sum(s.correct for s in report.by_type.values()):>5}   {report.accuracy:6.1%}")
    lines.append(f"引用准确率（引文包含证据）：{report.citation_accuracy:.1%}"
                 f"（{report.citation_correct}/{report.citation_total}）")
    lines.append(f"延迟：p50 {report.percentile(0.5):.1f} ms，p95 {report.percentile(0.95):.1f} ms")
    return "\n".join(lines)


def write_failures(report: EvalReport, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in report.failures:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
