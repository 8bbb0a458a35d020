"""Colloquial descriptions of ground giving way become the taxonomy's wording (地面塌陷), with
the adverbs and "个坑/一个大洞" people add, while other road words stay as they are."""
from __future__ import annotations

import pytest

from retrieval.linker import Gazetteer
from retrieval.normalize import colloquial


@pytest.mark.parametrize("said", [
    "人行道上忽然陷下去一个深洞",
    "马路一下子塌了个大坑，怎么办",
    "路面出现了一个大坑",
    "小区门口地面沉陷了",
])
def test_ground_giving_way_is_ground_collapse(said):
    assert "地面塌陷" in colloquial(said)


@pytest.mark.parametrize("said", ["路面积水很深", "马路上车撞了护栏", "地面有油污"])
def test_other_road_words_are_left_alone(said):
    assert "地面塌陷" not in colloquial(said)


def test_linker_reaches_the_type_through_the_rewrite():
    g = Gazetteer()
    g.add("IncidentType", "地质灾害", ["地面塌陷", "地面沉降"])
    g.add("IncidentType", "深基坑事故", ["基坑坍塌"])
    assert [e.name for e in g.link("人行道突然塌了个坑")] == ["地质灾害"]
