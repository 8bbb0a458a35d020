"""Document kind from title and structure, with the reason kept for the user to check."""
from __future__ import annotations

import re

from ingest.document import RawDocument
from ingest.structure import Section

KINDS = ("plan", "regulation", "duty_list", "expert_roster", "other")


def classify(raw: RawDocument, sections: list[Section]) -> tuple[str, str]:
    title = raw.title
    articles = sum(1 for s in sections if re.fullmatch(r"第.+条", s.label))
    if re.search(r"(?:办法|规定|条例|细则|规则|决定|法)$", title) and "预案" not in title[-4:]:
        return "regulation", f"标题“{title}”为法规、规范性文件名称" + (
            f"，含 {articles} 个“第X条”条文" if articles else "")
    if re.search(r"清单", title):
        return "duty_list", f"标题“{title}”含“清单”"
    if re.search(r"专家", title) and re.search(r"名单|名录|库|花名册|信息表", title):
        return "expert_roster", f"标题“{title}”为专家名单"
    if re.search(r"预案", title):
        return "plan", f"标题“{title}”含“预案”"
    if articles >= 3:
        return "regulation", f"含 {articles} 个“第X条”条文"
    return "other", "未识别为预案、清单、法规或专家名单"
