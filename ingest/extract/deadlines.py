"""Plans: time limits on what someone must do ("项目负责人力争15分钟内向行业主管部门报告",
"50分钟内报送书面材料", "在24小时内决定是否结束预警状态"), each a Deadline with who does what,
the limit as written and the sentence it came from.

A limit is a duration followed by 内/以内/之内 in a clause that then says what is done (报告,
报送, 到达, 反馈, 答复, 决定, 举行…); the doer is the clause's subject when it has one ("项目负责人
力争……"), else the clause before it ("事发地应急指挥机构按照有关规定，50分钟内报送书面材料").
"""
from __future__ import annotations

import re

from ingest.extract import Extraction, ParsedDocument
from ingest.structure import sentences, strip_number
from ingest.taxonomy import Taxonomy
from kg.model import Node, NodeRef, Provenance, Relationship

_NUM = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两半]+)"
_LIMIT = re.compile(rf"(?P<limit>{_NUM}\s*个?\s*(?:分钟|小时|个?工作日|日|天|周|个月))\s*(?:内|以内|之内)")
_ACT = re.compile(r"报告|报送|上报|报备|到达|赶到|赶赴|到场|反馈|答复|回复|决定|举行|完成|出具|提交|"
                  r"备案|发布|通知|核实|清障|恢复|启动|处置|送达")
# Words between the doer and the limit that say nothing of either ("力争", "应当在", "并于").
_FILLER = re.compile(r"(?:接报后|接到[^，。；]{0,10}后)?(?:均|应当|应|须|必须|要|需|力争|争取|并|在|于)*$")


def deadline_facts(sentence: str) -> list[tuple[str, str]]:
    """(what is done by whom, the limit as written) for each limit in one sentence."""
    out: list[tuple[str, str]] = []
    pieces = [p for p in re.split(r"[，,；;。]", strip_number(sentence)) if p.strip()]
    for i, piece in enumerate(pieces):
        m = _LIMIT.search(piece)
        if not m or not _ACT.search(piece[m.end():]):
            continue
        doer = _FILLER.sub("", re.sub(r"\s+", "", piece[:m.start()])).strip()
        act = piece[m.end():].lstrip("内以之 ").strip()
        if not doer and i and not _LIMIT.search(pieces[i - 1]):
            prev = re.sub(r"(?:按照|根据|依照)[^，]*$", "", pieces[i - 1]).strip()
            doer = prev if len(prev) <= 20 else ""
        what = f"{doer}{act}".strip()
        limit = re.sub(r"\s+", "", m.group(0))
        if len(what) >= 4:
            out.append((what, limit))
    return out


class DeadlineExtractor:
    def extract(self, doc: ParsedDocument, taxonomy: Taxonomy) -> Extraction:
        out = Extraction()
        meta = doc.meta
        plan = NodeRef(label="Document", key=meta.doc_id)
        n = 0
        for section in doc.sections:
            for block in section.blocks:
                for sentence in sentences(block.text):
                    for what, limit in deadline_facts(sentence):
                        n += 1
                        key = f"{meta.doc_id}#deadline#{n}"
                        out.nodes.append(Node(label="Deadline", key=key, props={
                            "name": what, "deadline": limit, "doc_id": meta.doc_id,
                            "section": section.path, "quote": sentence}))
                        out.relationships.append(Relationship(
                            type="DEFINES", start=plan, end=NodeRef(label="Deadline", key=key),
                            provenance=Provenance(doc_id=meta.doc_id,
                                                  section_id=doc.section_key(section),
                                                  section=section.path, quote=sentence)))
        return out
