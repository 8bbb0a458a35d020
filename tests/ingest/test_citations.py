"""Citations as real lists and notices write them, and the Article key both sides derive."""
from pathlib import Path

import pytest

from ingest.extract.citations import (article_key, cn_to_int, int_to_cn, normalize_article,
                                      parse_citations, split_version)

LAWS = Path(__file__).resolve().parents[3] / "shared" / "data" / "regulations"


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 99, 100, 101, 102, 110, 115, 120, 208])
def test_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


def test_article_key_ignores_brackets_version_note_and_arabic_numbers():
    assert article_key("《中华人民共和国安全生产法（2021年修正）》", "第9条") == \
        "中华人民共和国安全生产法#第九条"
    assert article_key("中华人民共和国安全生产法", "第九条") == "中华人民共和国安全生产法#第九条"
    # a short law name reaches the same article; a local 办法 keeps its own name and 试行
    assert article_key("安全生产法", "第 102 条") == "中华人民共和国安全生产法#第一百零二条"
    assert article_key("某市应急物资储备办法（试行）", "第五条") == "某市应急物资储备办法（试行）#第五条"
    assert normalize_article("第一百零八条") == "第一百零八条"


def test_version_note_after_the_closing_bracket_and_items():
    text = "《中华人民共和国安全生产法》（2014年修正）第九条，《消防法》第十六条第一款第（五）项"
    a, b = parse_citations(text)
    assert (a.title, a.version_note, a.articles) == ("中华人民共和国安全生产法", "2014年修正", ["第九条"])
    assert a.text == "《中华人民共和国安全生产法》（2014年修正）第九条"
    assert (b.title, b.articles) == ("中华人民共和国消防法", ["第十六条"])
    assert b.text in text and b.text.endswith("第（五）项")


def test_lists_ranges_and_titles_without_articles():
    cs = parse_citations("依据《地震安全性评价管理条例》第十一条至第十三条和《城市排水条例》、"
                         "《某区防汛防台专项应急预案》4.2的规定")
    assert [c.title for c in cs] == ["地震安全性评价管理条例", "城市排水条例", "某区防汛防台专项应急预案"]
    assert cs[0].articles == ["第十一条", "第十二条", "第十三条"]
    assert cs[1].articles == [] and cs[2].articles == []


def test_article_numbers_in_running_text_are_not_taken():
    (c,) = parse_citations("按照《生产安全事故应急条例》的要求，企业应当落实本规定第五条")
    assert c.articles == []


def test_titles_of_real_law_texts_split_from_their_version():
    titles = [p.read_text("utf-8").splitlines()[0].lstrip("# ").strip()
              for p in sorted(LAWS.glob("*.txt"))]
    assert "中华人民共和国安全生产法" in titles
    for t in titles:
        assert split_version(f"《{t}（2021年修正）》") == (t, "2021年修正")


def test_an_article_named_in_the_bracket_after_the_title():
    """"《…》（其中第十七条规定，……）": the article belongs to the title before the bracket."""
    a, b = parse_citations("依据《中华人民共和国防洪法》（其中第四十三条规定，防汛抗洪实行行政首长负责制）、"
                           "《气象灾害防御条例》第二十九条")
    assert (a.title, a.articles) == ("中华人民共和国防洪法", ["第四十三条"])
    assert (b.title, b.articles) == ("气象灾害防御条例", ["第二十九条"])
    # a bracket that only dates the version, or says nothing about an article, cites none
    (c,) = parse_citations("《某市防汛条例》（试行）的规定")
    assert c.articles == []
