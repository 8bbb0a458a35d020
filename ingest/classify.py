"""Document kind from title and structure, with the reason kept for the user to check."""
from __future__ import annotations

import re

from ingest.document import RawDocument
from ingest.extract.expert_roster import find_roster_header
from ingest.structure import Section

KINDS = ("plan", "regulation", "duty_list", "expert_roster", "other")


def classify(raw: RawDocument, sections: list[Section]) -> tuple[str, str]:
    title = raw.title
    articles = sum(1 for s in sections if re.fullmatch(r"第.+条", s.label))
    if re.search(r"(?:办法|规定|条例|细则|规则|决定|法)$", title) and "预案" not in title[-4:]:
        return "regulation", f"标题“{title}”为法规、规范性文件名称" + (
            f"，含 {articles} 个“第X条”条文" if articles else "")
    header = "" if "预案" in title else _roster_header(raw)
    if header:  # before 清单: "应急专家清单" is a roster, a duty list never has 姓名+专业 columns
        return "expert_roster", f"表头含{header}列，为专家名册"
    if re.search(r"清单", title):
        return "duty_list", f"标题“{title}”含“清单”"
    if re.search(r"专家", title) and re.search(r"名单|名录|库|花名册|信息表", title):
        return "expert_roster", f"标题“{title}”为专家名单"
    if re.search(r"预案", title):
        return "plan", f"标题“{title}”含“预案”"
    if articles >= 3:
        return "regulation", f"含 {articles} 个“第X条”条文"
    return "other", "未识别为预案、清单、法规或专家名单"


def _roster_header(raw: RawDocument) -> str:
    """The name and fields headers of an expert roster table (姓名 … 专业领域, name … fields),
    also when the table was flattened into text lines; a plan's annexed expert list does not
    get here, its title says 预案 first."""
    found = find_roster_header(raw.blocks)
    return f"“{found[0]}”“{found[1]}”" if found else ""
