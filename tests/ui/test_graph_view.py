"""The fact graph's DOT text: labels, escaping, de-duplication, size cap."""
from __future__ import annotations

from retrieval.contract import Fact
from ui.graph_view import facts_dot, neighbourhood_dot


def test_edges_carry_chinese_relation_labels_and_shared_nodes():
    facts = [Fact(subject="区水务局", relation="LEADS", object="城市内涝", doc_id="a", section="1"),
             Fact(subject="区城管委", relation="SUPPORTS", object="城市内涝", doc_id="a", section="1"),
             {"subject": "区水务局", "relation": "LEADS", "object": "城市内涝"}]  # duplicate, as a dict
    dot = facts_dot(facts)
    assert dot.startswith("digraph")
    assert dot.count("->") == 2
    assert dot.count('label="城市内涝"') == 1
    assert 'label="牵头"' in dot and 'label="配合"' in dot


def test_quotes_backslashes_and_unknown_relations_are_escaped():
    dot = facts_dot([{"subject": '某"新"单位\\分部', "relation": "OVERSEES", "object": "码头\n作业"}])
    assert '某\\"新\\"单位\\\\分部' in dot
    assert 'label="关联"' in dot and "OVERSEES" not in dot  # never an internal name
    assert "\n作业" not in dot


def test_long_names_are_cut_and_edges_capped():
    long = "某某市某某区人民政府防汛防台抗旱指挥部办公室城市运行保障组"
    facts = [{"subject": f"单位{i}", "relation": "SUPPORTS", "object": long} for i in range(60)]
    dot = facts_dot(facts, max_edges=10)
    assert dot.count("->") == 10
    assert f'tooltip="{long}"' in dot and "…" in dot


def test_neighbourhood_highlights_centre_and_counts_sources():
    from kg.browse import GraphEdge, GraphNode, Neighbourhood

    nb = Neighbourhood(entity="森林火灾", nodes=[
        GraphNode(id="it:森林火灾", label="IncidentType", name="森林火灾", centre=True),
        GraphNode(id="org:区林业站", label="Organization", name="区林业站")],
        edges=[GraphEdge(source="org:区林业站", target="it:森林火灾", relation="LEADS", sources=3),
               GraphEdge(source="org:未画出", target="it:森林火灾", relation="SUPPORTS")])
    dot = neighbourhood_dot(nb)
    assert dot.count("->") == 1  # an edge to a node not in the drawing is left out
    assert 'label="牵头 ×3"' in dot
    assert "penwidth=2" in dot.split('label="森林火灾"')[1].split("\n")[0]
