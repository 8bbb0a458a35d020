"""Resources from plan tables and from a team's own clause. The snippets describe a fictional
county written for these tests, not taken from our corpus."""
import pytest

from ingest.document import Block
from ingest.extract import ParsedDocument
from ingest.extract.plan_resources import PlanResourcesExtractor, clause_incidents, table_resources
from ingest.structure import parse_sections
from ingest.taxonomy import Entry, Lexicon, Taxonomy
from kg.model import DocumentMeta


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    orgs = Lexicon()
    for name, aliases in [("县应急管理局", ["县应急局"]), ("县卫生健康局", ["县卫健局"]),
                          ("县文广旅体局", []), ("县红星化肥厂", [])]:
        orgs.add(Entry(name=name, aliases=aliases))
    incidents = Lexicon()
    incidents.add(Entry(name="事故灾难"))
    incidents.add(Entry(name="安全生产事故", parent="事故灾难"))
    incidents.add(Entry(name="危险化学品事故", parent="事故灾难", aliases=["危化品事故"]))
    incidents.add(Entry(name="矿山事故", parent="事故灾难"))
    return Taxonomy(organizations=orgs, incident_types=incidents)


def _row(text: str, sep: str = "|") -> Block:
    cells = [c.strip() for c in text.strip().strip("|").split(sep)]
    return Block(text=text, kind="table_row", cells=cells)


def _extract(lines: list, taxonomy: Taxonomy, title: str):
    blocks = [x if isinstance(x, Block) else Block(text=x) for x in [title, *lines]]
    meta = DocumentMeta(doc_id="county.md", title=title, kind="plan", source_path="x",
                        version="v")
    doc = ParsedDocument(meta=meta, raw=None, sections=parse_sections(blocks, title))
    return PlanResourcesExtractor().extract(doc, taxonomy)


def test_hospital_table_rows_become_resources_quoted_as_written(taxonomy):
    out = _extract([
        "六、应急保障",
        "（二）救治医院",
        _row("| 医疗机构 | 所在地 | 救治专长 | 可用床位 |"),
        _row("| 县第一人民医院 | 人民路8号 | 烧烫伤、危化品事故伤员救治 | 80张 |"),
        _row("| 县中西医结合医院 | 江滨路22号 | 一氧化碳中毒救治 | — |"),
    ], taxonomy, "某县安全生产事故应急预案")
    res = {n.key: n.props for n in out.nodes if n.label == "Resource"}
    first = res["县第一人民医院"]
    assert (first["kind"], first["location"], first["capacity"]) == ("医院", "人民路8号", "80张")
    assert first["speciality"] == "烧烫伤、危化品事故伤员救治"
    assert "capacity" not in res["县中西医结合医院"]  # a dash is no figure
    fors = {(r.start.key, r.end.key) for r in out.relationships if r.type == "FOR"}
    assert ("县第一人民医院", "危险化学品事故") in fors  # named in the row
    assert ("县第一人民医院", "安全生产事故") in fors  # the plan's own type
    quotes = {r.provenance.quote for r in out.relationships if r.start.key == "县第一人民医院"}
    assert quotes == {"| 县第一人民医院 | 人民路8号 | 烧烫伤、危化品事故伤员救治 | 80张 |"}


def test_shelter_table_with_managing_unit_and_tabs():
    blocks = [_row("序号\t避难场所名称\t位置\t可容纳人数\t管理单位", "\t"),
              _row("1\t县体育公园\t滨河大道1号\t约6000人\t县文广旅体局", "\t")]
    (r,) = table_resources(blocks, "避难场所")
    assert (r.name, r.kind, r.location, r.capacity, r.manager) == (
        "县体育公园", "避难场所", "滨河大道1号", "约6000人", "县文广旅体局")


def test_contact_and_duty_tables_are_not_resources():
    contacts = [_row("| 单位 | 值班电话 |"), _row("| 县应急局 | 0000-1234567 |")]
    duties = [_row("| 单位 | 主要职责 |"), _row("| 县应急局 | 负责综合协调 |")]
    assert table_resources(contacts, "物资保障") == []
    assert table_resources(duties, "队伍保障") == []


def test_team_clause_names_another_incident_type(taxonomy):
    out = _extract([
        "八、保障措施",
        "县应急局统筹全县救援力量；县红星化肥厂专职救援队（25人）作为危化品事故先期处置力量，"
        "配合消防救援队伍行动。",
    ], taxonomy, "某县安全生产事故应急预案")
    fors = {(r.start.key, r.end.key) for r in out.relationships if r.type == "FOR"}
    assert fors == {("县红星化肥厂专职救援队", "危险化学品事故")}


def test_clause_incidents_stop_at_the_clause_end(taxonomy):
    sent = "甲矿业公司抢险队（12人）承担矿山事故救援；乙公司抢险队负责危化品事故处置。"
    assert clause_incidents(sent, "甲矿业公司抢险队", taxonomy) == ["矿山事故"]
    assert clause_incidents(sent, "县乙公司抢险队", taxonomy) == ["危险化学品事故"]
