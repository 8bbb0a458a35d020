"""The place a document or a unit's name starts with (广西壮族自治区, 川沙新镇, 国家): how a
document's jurisdiction is read, by ingest and by retrieval alike. Nothing here knows any
particular place."""
from __future__ import annotations

import re

# A title or issuer starts with its place: the shortest run of characters ending in an
# administrative suffix ("川沙新镇生产安全事故……" → 川沙新镇).
SUFFIX = ("特别行政区|自治区|自治州|自治县|自治旗|省|市|盟|州|地区|新区|区|县|旗|新镇|镇|乡|街道")
_PLACE = re.compile(rf"^(?:【[^】]*】)?([\u4e00-\u9fff]{{2,10}}?(?:{SUFFIX}))")
# A body's name is not a place ("房管局住宅小区", "绿化和市容……").
_NOT_PLACE = re.compile(r"[局委办厅处科和与及的]|管理|中心|公司|小区|园区|社区|景区")
ETHNIC = re.compile(r"(?:[\u4e00-\u9fff]族|维吾尔)$")  # 广西壮族 → 广西
# The national level, however it is said: one jurisdiction.
NATIONAL_WORDS = ("中华人民共和国", "国家", "全国", "国务院", "中央")
NATIONAL = "国家"


def places_of(text: str) -> list[str]:
    """The jurisdictions a title or issuer starts with, outermost first ("某区东湖街道……" →
    [某区, 东湖街道]; 国家 for national bodies and laws)."""
    text = re.sub(r"^【[^】]*】", "", (text or "").strip())
    if text.startswith(NATIONAL_WORDS):
        return [NATIONAL]
    out: list[str] = []
    while len(out) < 3 and (m := _PLACE.match(text)) and not _NOT_PLACE.search(m.group(1)):
        out.append(m.group(1))
        text = text[m.end():]
    return out
