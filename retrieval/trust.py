"""Whether a graph answer may stand as a direct answer (status `answered`).

A wrong direct answer is the worst outcome for a duty officer, so a module's answer is kept as a
claim only when
- it makes one ("预案未写明……" is not a claim unless absence is what a consistency question asks);
- its source lies within what the question names: a question about one place's or one plan's
  rule is not answered from another district's plan;
- its source speaks of what the question asks about: no retrieved sentence covers the question's
  words (weighted by rarity) far better than the answer's quoted source does; words the entity
  linker matched count as covered by the answer about that entity.
The word weights and question terms are the reader's (retrieval.reader), one scorer for both.
"""
from __future__ import annotations

import re

from retrieval.answers._match import bigrams
from retrieval.contract import Answer, Entity, first_sentence
from retrieval.reader import (DOING, GROUP, KINDS, NAMES_BODY, POSTS, Candidate, asks, focus_of,
                              does_asked, names_group, names_post, question_terms, value_core,
                              weights)
from retrieval.scope import Scope

# How much better (share of the question's words) another sentence must cover the question.
OUTDONE = 0.3
_NO_CLAIM = re.compile(r"未写明|未明确|没有写明")
_NOTHING_FOUND = re.compile(r"未找到|未在知识图谱|未能确定|未导入|未发现|无法核对")


def makes_claim(answer: Answer) -> bool:
    """"预案未写明……", "未发现不一致" state that nothing was found: evidence, not an answer (unless
    a consistency question asks whether something is missing: then absence is the finding)."""
    first = first_sentence(answer.answer)
    if _NOTHING_FOUND.search(first):
        return False
    return answer.intent == "consistency" or not _NO_CLAIM.search(first)


def in_scope(answer: Answer, scope: Scope) -> bool:
    """The answer's source is one the question's scope admits (a consistency answer sets
    documents side by side: one of them will do)."""
    if not answer.citations:
        return False
    if answer.intent == "consistency":
        return any(scope.allows(c.doc_id) for c in answer.citations)
    return scope.allows(answer.citations[0].doc_id)


def holds_up(answer: Answer, scope: Scope) -> bool:
    """The answer makes a claim, from a source the question's scope admits."""
    return answer.status == "answered" and makes_claim(answer) and in_scope(answer, scope)


_SOURCE_LEAD = re.compile(r"^按《[^》]+》[^，,：:]{0,40}[，,：:]")

# A yes/no question: the level modules answer who starts and which level, not whether.
YES_NO = re.compile(r"能不能|可不可以|能否|可否|是否|是不是|吗[？?]?$")

# Asking for people: only then is a list of experts a direct answer.
_FOR_PEOPLE = re.compile(r"谁|哪位|哪几位|哪些专家|哪个专家|什么专家|哪方面|哪些方面|哪些领域|哪个领域"
                         r"|找|请|联系|有没有|懂|电话|号码|手机|在库|调用|能叫|还在|哪几个"
                         r"|专家[^，。？?]{0,4}(?:有哪|有谁|是谁)")


# "由谁选专家", "谁负责组建专家组": the asked one acts on experts, a body, not an expert.
_ACTS_ON_EXPERTS = re.compile(r"谁[^，。？?]{0,4}(?:选|遴选|聘请|聘任|建立|组建|抽调|管理|培训|考核)"
                              r"[^，。？?]{0,4}专家")

# What a 谁-question asks someone to do beyond leading the response: the answer must say it
# ("向谁报告" is not answered by who starts the response).
_SPECIFIC_ACTS = ("报告", "备案", "批准", "审批", "审核", "发布", "终止", "结束", "解除", "宣布",
                  "建立", "制定", "评估", "调查", "召集", "授权", "请求", "兼任", "担任", "配合")


def fits_ask(question: str, answer: Answer) -> bool:
    """The answer is of the kind asked: its first sentence holds a value of the asked kind (an
    organisation for 谁, a duration for 多久, a level for 哪一级); a 谁-question's specific act
    (报告, 备案, 终止) is in it; duties are not answered by who starts a level; a list of experts
    answers a request for people only (not "专家组要研判什么"); the group the question names is
    named in the answer's own words."""
    if answer.intent == "expert" and answer.experts and (not _FOR_PEOPLE.search(question)
                                                         or _ACTS_ON_EXPERTS.search(question)):
        return False
    first = first_sentence(answer.answer)
    stated = _SOURCE_LEAD.sub("", first)  # "按《某预案》4.3，……": the source is no value
    kinds = [k for k in KINDS if k[0] in asks(question)]
    if answer.intent not in ("expert", "consistency", "duty_card") and kinds:
        if not any((NAMES_BODY if kind == "who" else value).search(stated)
                   for kind, _, value in kinds):
            return False
        focus = focus_of(question)
        acts = [a for a in _SPECIFIC_ACTS if a in focus]
        posts = [p for p in POSTS if p in focus]
        if any(k[0] == "who" for k in kinds) and (
                (acts and not any(a in first for a in acts))
                or (posts and not names_post(posts[0], first))):
            return False
    if answer.intent in ("response_level", "grading") and DOING.search(question):
        return False
    if YES_NO.search(question) and answer.intent in ("response_level", "grading"):
        return False  # "能不能由办公室启动": not who starts the level, the clause allowing it
    groups = GROUP.findall(question)
    if groups and answer.intent in ("command_structure", "member_duty"):
        return names_group(groups, first + answer.citations[0].quote)
    return True


def question_weights(question: str, scope: Scope, df: tuple[dict[str, int], int],
                     entities: list[Entity] = ()) -> dict[str, float]:
    """The question's words by weight, leaving out the words that name the place or document
    (the scope) and those the linker matched to an entity (the graph answer is about that
    entity; a rival sentence must name it to compete)."""
    linked = set().union(*(bigrams(e.surface) for e in entities if e.surface)) if entities else set()
    return weights(question_terms(question) - scope.words - linked, *df)


def coverage(w: dict[str, float], text: str) -> float:
    """The share of the weighted words `text` holds."""
    total = sum(w[g] for g in sorted(w))
    if not total:
        return 1.0
    held = bigrams(text)
    return sum(w[g] for g in sorted(w) if g in held) / total


def outdone(question: str, answer: Answer, cands: list[Candidate], scope: Scope,
            df: tuple[dict[str, int], int], entities: list[Entity] = ()) -> bool:
    """A retrieved clause about the same thing speaks of the question far better than the
    answer's own source: the answer is about something else (a lead clause for "善后由哪个部门
    牵头", a grading table for "分级标准由谁制定"). Clauses that do not name what the linker found
    (火灾 in "较大火灾的认定标准") are not about the same thing."""
    if answer.intent in ("consistency", "duty_card"):
        return False  # findings and cards are built from structured facts, not one sentence
    c = answer.citations[0]
    names = [e.surface for e in entities if e.surface]

    def about(x: Candidate) -> str:
        return " ".join([x.clause, *x.section.headings])

    rivals = [x for x in cands if all(n in x.sentence or n in about(x) for n in names)]
    if asks(question):
        # a rival answers the question otherwise: it holds a value of the asked kind that the
        # answer does not state (a sentence describing the situation answers nothing)
        first = first_sentence(answer.answer)
        rivals = [x for x in rivals if (value_core(x.value) not in first if x.value
                                        else does_asked(question, x.clause))]
    if not rivals:
        return False
    w = question_weights(question, scope, df, entities)
    best = max(coverage(w, about(x)) for x in rivals[:40])
    heads = [" ".join(x.section.headings) for x in cands
             if x.sentence in c.quote or c.quote in x.sentence]
    mine = coverage(w, " ".join([c.quote, first_sentence(answer.answer), *heads[:1]]))
    return best - mine >= OUTDONE
