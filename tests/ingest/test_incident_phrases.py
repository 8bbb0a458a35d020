"""Incident typing of the phrases plans use for a row or a clause: lists, 等, notes in brackets.

A small hand-made taxonomy and wordings that are not in the sample corpus.
"""
import pytest

from ingest.extract.incidents import find_incidents, place_subtype
from ingest.taxonomy import Entry, Lexicon, Taxonomy


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    incidents = Lexicon()
    for name, parent, aliases in [
        ("自然灾害", None, []),
        ("事故灾难", None, []),
        ("社会安全事件", None, []),
        ("防汛防台", "自然灾害", ["台风", "暴雨", "洪水", "积水"]),
        ("道路积水", "防汛防台", ["路面积水", "下立交积水"]),
        ("住宅小区积水", "防汛防台", ["小区积水", "小区进水"]),
        ("危险化学品事故", "事故灾难", ["危化品事故", "危险化学品泄漏", "危险化学品火灾",
                                  "危险化学品爆炸"]),
        ("危险化学品道路运输事故", "危险化学品事故", ["危化品运输车辆事故",
                                            "危险化学品运输车辆事故"]),
        ("特种设备事故", "事故灾难", []),
        ("电梯安全事故", "特种设备事故", ["电梯困人", "电梯事故"]),
        ("锅炉事故", "特种设备事故", ["锅炉爆炸"]),
        ("道路交通事故", "事故灾难", ["交通事故", "车祸"]),
        ("城镇燃气事故", "事故灾难", ["燃气事故", "燃气泄漏"]),
        ("燃气管道泄漏事故", "城镇燃气事故", ["管道燃气泄漏", "燃气管道破裂"]),
        ("气瓶事故", "特种设备事故", ["气瓶爆炸"]),
        ("火灾事故", "事故灾难", ["火灾", "着火"]),
        ("电动自行车火灾事故", "火灾事故", ["电动车起火", "电动自行车火灾"]),
        ("公交车事故", "道路交通事故", ["公交车车祸"]),
        ("传染病疫情", "社会安全事件", ["疫情"]),
        ("人员密集场所拥挤踩踏事件", "社会安全事件", ["拥挤踩踏", "大客流", "踩踏"]),
        ("地铁站拥挤踩踏事件", "人员密集场所拥挤踩踏事件", ["地铁站大客流", "地铁站踩踏"]),
        ("商圈拥挤踩踏事件", "人员密集场所拥挤踩踏事件", ["商场踩踏", "步行街踩踏"]),
        ("旅游景区拥挤踩踏事件", "人员密集场所拥挤踩踏事件", ["景区踩踏", "公园踩踏"]),
        ("校园拥挤踩踏事件", "人员密集场所拥挤踩踏事件", ["学校踩踏", "幼儿园踩踏"]),
    ]:
        incidents.add(Entry(name=name, aliases=aliases, parent=parent))
    orgs = Lexicon()
    for name in ("区水务局", "区建管委"):
        orgs.add(Entry(name=name))
    return Taxonomy(organizations=orgs, incident_types=incidents)


def _types(text: str, taxonomy: Taxonomy) -> list[str]:
    return [c for _, c in find_incidents(text, taxonomy)]


@pytest.mark.parametrize("phrase,expected", [
    # Items naming types on their own: each type, the general one included.
    ("暴雨、洪水及小区进水", ["防汛防台", "住宅小区积水"]),
    # A subject written once before short items: the subject's type, not the one item's subtype.
    ("化工厂危险化学品泄漏、火灾和爆炸", ["危险化学品事故"]),
    ("危险化学品储存、装卸和运输事故", ["危险化学品事故"]),
    # Places sharing one event: the same subtype for every place is kept …
    ("滨江路、沿江公路危险化学品运输车辆事故", ["危险化学品道路运输事故"]),
    # … places of different kinds make the statement about the type containing them all.
    ("人民广场、步行街、地铁站大客流拥挤踩踏", ["人员密集场所拥挤踩踏事件"]),
    ("地铁站及周边道路大客流拥挤踩踏", ["人员密集场所拥挤踩踏事件"]),
    # "X等Y": Y names the class the examples belong to.
    ("电梯困人、锅炉爆炸等特种设备事故", ["特种设备事故"]),
    # A note in brackets does not add the type it mentions.
    ("公交车车祸（车上载有危险化学品的另按危险化学品事故处置）", ["公交车事故"]),
])
def test_phrase_types(phrase, expected, taxonomy):
    assert _types(phrase, taxonomy) == expected


def test_single_names_still_read_as_before(taxonomy):
    assert _types("小区积水", taxonomy) == ["住宅小区积水"]
    assert _types("地铁站大客流", taxonomy) == ["地铁站拥挤踩踏事件"]
    # Two types joined by 和 stay two types.
    assert _types("交通事故和疫情", taxonomy) == ["道路交通事故", "传染病疫情"]
    # Units joined by 和 are not a list of places.
    assert _types("区水务局和区建管委负责路面积水", taxonomy) == ["道路积水"]
    # A bracket that is the only place naming a type is still read.
    assert _types("（危化品事故）", taxonomy) == ["危险化学品事故"]


@pytest.mark.parametrize("places,expected", [
    ("步行街、购物商场", "商圈拥挤踩踏事件"),
    ("森林公园、风景区", "旅游景区拥挤踩踏事件"),
    ("中学、幼儿园", "校园拥挤踩踏事件"),
    ("轨道交通换乘站（地铁站）", "地铁站拥挤踩踏事件"),
    ("体育馆", "人员密集场所拥挤踩踏事件"),  # no subtype for it: the plan's own type
])
def test_places_narrow_the_plan_type(places, expected, taxonomy):
    assert place_subtype(places, "人员密集场所拥挤踩踏事件", taxonomy) == expected


def test_an_event_alias_needs_its_event(taxonomy):
    # "管道燃气泄漏" names a leak; "管道燃气" alone is the supply, any of its accidents.
    assert _types("管道燃气泄漏", taxonomy) == ["燃气管道泄漏事故"]
    assert _types("管道燃气事故", taxonomy) == ["城镇燃气事故"]


def test_things_sharing_one_event_word(taxonomy):
    assert _types("锅炉、气瓶事故", taxonomy) == ["锅炉事故", "气瓶事故"]
    # Places sharing an event are not things: the event with its subject is the type.
    assert _types("地下室、车棚内电动自行车火灾", taxonomy) == ["电动自行车火灾事故"]
