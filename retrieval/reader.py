"""Read the answer off the documents: find the answering sentence, then the answer in it.

Used when no graph fact answers (or the graph's answer does not hold up): the retrieved
sections' sentences are scored by how much of the question they cover — their own words first,
their headings' and title's after — and whether they hold the kind of value asked (an
organisation for 谁, a duration for 多久, a level for 哪一级, a title for 哪个预案, a date for
何时). The answer is stated only when one sentence clearly wins; otherwise the caller shows
the evidence. The rules are question words and value shapes, never a document's wording.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from retrieval.answers._match import GENERIC, bigrams
from retrieval.answers.applicable import constraints, quantities, within
from retrieval.lexical_index import tokenize
from retrieval.passages import Section, strip_number
from retrieval.scope import Scope

_ORG = (r"(?:人民政府|党委|政府|委员会|指挥部|指挥机构|领导小组|办公室|工作组|专家组|部门|机构|单位"
        r"|街道办事处|街道|居委会|村委会|社区|镇|乡|医院"
        r"|中心|厅|局|委|办|处|室|科|部|组|队|站|所|院|会|司|领导|负责人|主任|书记|组长|指挥长|总指挥"
        r"|镇长|区长|县长|市长|省长|厅长|局长|处长|机关|公司|企业)")
# A body or post in the act of doing something: "由X负责/启动/担任", "X牵头", "报X批准", "X任组长".
_ACT = (r"(?:负责|担任|牵头|组织|启动|发布|决定|批准|宣布|统一|兼任|承担|会同|提出|建立|制定|实施"
        r"|报请|提请|审议|确定|召集|主持|处置|协调|指挥|组成|派出|开展)")
_WHO = (rf"由[^，。；：]{{0,40}}?{_ORG}[^，。；：]{{0,12}}?{_ACT}"
        rf"|^[^，。；：]{{0,30}}?{_ORG}(?:负责|牵头|承担|担任|兼任|组织|会同)"
        rf"|^[^，。；：]{{0,30}}?{_ORG}(?:应当|应|须|可以)(?:决定|批准|宣布|启动|终止|发布|负责|牵头)"
        rf"|(?:报告|报送|报请|上报|报|向|经|请)[^，。；：]{{0,30}}?{_ORG}"
        rf"|[^，。；：]{{1,30}}?{_ORG}(?:任|担任)(?:组长|副组长|主任|副主任|指挥长|总指挥|成员)")
_WHO_RX = re.compile(_WHO)
# Any body or post named (a graph answer's first sentence for a 谁-question must name one).
NAMES_BODY = re.compile(rf"[\u4e00-\u9fff]{{1,20}}?{_ORG}")
_NUM = r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千两半]+)"
# (kind, what the question asks, what a sentence holding the answer looks like); first match wins.
KINDS: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    ("frequency", re.compile(r"(?:多久|多长时间|几年|几个月)[^，。？?]{0,6}(?:一次|1次)|每隔多久|频次|几次|多少次"),
     re.compile(rf"每\s*{_NUM}?\s*个?(?:年|季度|月|周|星期|天|日)|不少于\s*{_NUM}\s*次|至少\s*{_NUM}\s*次"
                rf"|{_NUM}\s*次")),
    ("duration", re.compile(r"多久|多长时间|几个?小时|几天|多少天|几分钟|时限|期限|最迟|最晚"
                            r"|多少年|几年|多少个?月|几个月|多少个?小时|多少分钟"),
     re.compile(rf"{_NUM}\s*个?\s*(?:分钟|小时|日|天|个工作日|周|月|年)(?:内|以内|之内)?")),
    # "什么时候补" is answered by a date or by a deadline ("24小时内", "届满前3个月内")
    ("date", re.compile(r"什么时候|何时|哪天|哪一天|哪一年|日期|几月几[日号]|哪年"),
     re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|[印发公布]+之日"
                rf"|{_NUM}\s*个?\s*(?:分钟|小时|日|天|个工作日|周|月|年)(?:内|以内|之内|前|后)")),
    ("who", re.compile(r"谁|哪个单位|哪个部门|哪些单位|哪些部门|哪家"
                       r"|哪些[\u4e00-\u9fff]{0,4}(?:力量|队伍|单位|部门|机构)"
                       r"|(?:报|送|交|向)[\u4e00-\u9fff]{0,2}?哪里"  # "报哪里备案": to whom
                       r"|哪一级[\u4e00-\u9fff]{0,4}(?:党委|政府|部门|机构|单位)"
                       r"|哪个机构|哪些机构|哪些人|哪几位|哪些处室|哪个处室|哪个层级|哪一级组织"),
     _WHO_RX),
    ("level", re.compile(r"哪一级|(?<!哪)几级|哪级|什么级别|哪个级别|哪个等级|什么等级"),
     re.compile(r"[ⅠⅡⅢⅣⅤ]+\s*级|I{1,3}V?\s*级|IV\s*级|(?<![上下本同各逐每哪几第])[一二三四]级"
                r"|特别重大|重大|较大|一般")),
    ("document", re.compile(r"哪个预案|什么预案|哪[两几一二三]?部|哪个文件|哪份文件|哪项|哪一个预案|哪一版|什么法|哪个法"
                            r"|(?:预案|规章|法规|法律|文件)是?哪(?:一个|个|一部|部)"
                            r"|依据(?:什么|哪)|什么文件|哪些文件|哪些法律"),
     re.compile(r"《[^》]{2,60}》|(?:根据|按照|依照|依据|按|适用|参照|执行)本预案|本预案适用")),
    ("money", re.compile(r"多少钱|罚多少|罚款多少|多少罚款|罚款.{0,4}多少"),
     re.compile(rf"{_NUM}\s*(?:万|千|百|亿)?\s*元|百分之[一二三四五六七八九十百]+")),
    ("number", re.compile(r"多少|(?<![好哪十])几[个人名家处座台辆张顶]|多大|百分之几|比例"),
     re.compile(rf"{_NUM}\s*(?:万|千|百|亿)?\s*(?:人|名|个|家|处|座|台|辆|元|万元|亿元|%|倍|支|艘|架|套|件|吨|顶|张)"
                r"|百分之[一二三四五六七八九十百]+")),
    ("article", re.compile(r"哪条|哪一条|第几条|哪几条"), re.compile(r"第[一二三四五六七八九十百零〇\d]+条")),
    ("color", re.compile(r"颜色|什么色"), re.compile(r"[红橙黄蓝]色")),
    ("definition", re.compile(r"指哪些|指什么|是指|什么意思|含义|的定义|指的是|什么叫|什么是"),
     re.compile(r"是指|指的是|系指|所称")),
    ("place", re.compile(r"在哪|哪里|设在|什么地方|地址"),
     re.compile(r"设在|位于|设于|在[^，。；]{2,40}?中(?:予以)?(?:明确|规定|载明)")),
]
_SENT = re.compile(r"(?<=[。！？!?\n])")
_CLAUSE = re.compile(r"(?<=[；;])")
_PIECE = re.compile(r"(?<=[，,：:])")
# How the reader decides: the best sentence must cover this share of the question's words
# (its own words counted fully, its headings' and title's at CONTEXT), and lead the runner-up
# holding a different value by MARGIN.
CONTEXT = 0.6
FLOOR = 0.6
OWN = 0.5
MARGIN = 0.15


@dataclass
class Reading:
    doc_id: str
    title: str
    section: str
    sentence: str  # verbatim, as the source writes it (the quote)
    clause: str  # the part of it that states the answer
    value: str
    coverage: float
    lead: str = ""  # the list's lead the value was read from, with its section
    lead_section: str = ""


def asks(question: str) -> list[str]:
    """The kinds asked by each part of the question ("由谁负责解释？什么时候起实施？" asks two)."""
    parts = [p for p in re.split(r"[？?；;]|[，,](?=[^，,]*[？?]?$)", question) if p.strip()]
    return [k[0] for p in parts if (k := asked_kind(p))]


def ask_parts(question: str) -> list[str]:
    """A question asking two things ("预案由谁负责解释？什么时候起实施？") as two questions, each
    with what the first names (the words before its question word) when it names nothing
    itself."""
    parts = [p.strip() for p in re.split(r"[？?；;]", question) if p.strip()]
    asking = [p for p in parts if asked_kind(p)]
    if len(asking) < 2:
        return [question]
    first = asking[0]
    m = re.search(r"由谁|是谁|谁|哪|什么|多少|几|何时|多久|多长", first)
    subject = re.split(r"[，,]", first[:m.start()])[-1] if m else ""
    subject = re.sub(r"(?:设在|位于|由|是|在|归|向|找|要|应当|应|需要|需|的)+$", "", subject)
    out = []
    for p in asking:
        out.append(p if p is first or not subject or subject in p else subject + p)
    return out


def asked_kind(question: str) -> tuple[str, re.Pattern[str]] | None:
    for kind, asks, value in KINDS:
        if asks.search(question):
            return kind, value
    return None


# One-character unit suffixes jieba may cut off ("应急指挥|组").
_UNIT_SUFFIX = set("组队站所科处办局委室部厅院")


_BEFORE_POST = re.compile(r"(?<=[组部室处局队办委])(?=副?(?:组长|总指挥|指挥长|主任|成员))")


def question_terms(question: str) -> set[str]:
    """The question's bigrams inside its words (jieba): "街道接到" gives 街道 and 接到, not 道接; a
    unit suffix cut off as a word of its own joins the word before it ("指挥|组" gives 挥组).
    Question words (多长时间, 谁负责) are left out."""
    # a group or body and the post in it are two words ("应急指挥组组长": 组组 is no word);
    # so are a plan's name and 预案 ("综合预案": 合预 is no word)
    question = _BEFORE_POST.sub(" ", question)
    question = re.sub(r"(?<=[\u4e00-\u9fff])(?=(?:应急)?预案|条例|办法)", " ", question)
    toks = [t for t in tokenize(question) if t]
    out = {g for tok in toks if len(tok) >= 2 for g in bigrams(tok)}
    for prev, tok in zip(toks, toks[1:]):
        if tok in _UNIT_SUFFIX and len(prev) >= 2:
            out.add(prev[-1] + tok)
    return out - GENERIC


# Parts of speech that carry no topic: time, numeral, locative, preposition, adverb,
# conjunction, particles, pronoun, classifier, place words ("区里"), punctuation.
_NOT_CONTENT = ("t", "m", "f", "p", "d", "c", "u", "r", "q", "y", "e", "o", "x", "s", "z")


# A word this common in general Chinese text (jieba's IDF table: 结果 and 方面 about 4, 程度 5.2,
# against 监理 9.3, 泄漏 8.9) says how the question is put, not what it is about.
GENERAL_IDF_FLOOR = 6.0


@lru_cache(maxsize=1)
def _general_idf() -> dict[str, float]:
    import jieba.analyse

    return jieba.analyse.default_tfidf.idf_freq


def content_terms(question: str) -> set[str]:
    """The bigrams of the question's content words (jieba parts of speech) that are not common
    words of the language (jieba's IDF table); all content words when every one is common."""
    import jieba.posseg

    idf = _general_idf()
    words = [w.word for w in jieba.posseg.cut(_BEFORE_POST.sub(" ", question))
             if len(w.word) >= 2 and not w.flag.startswith(_NOT_CONTENT)]
    telling = [w for w in words if idf.get(w, GENERAL_IDF_FLOOR) >= GENERAL_IDF_FLOOR] or words
    return {g for w in telling for g in bigrams(w)}


def weights(q: set[str], df: dict[str, int], n: int) -> dict[str, float]:
    """Question bigrams weighted by how few sections of the store hold them; a bigram no
    section holds ("搞完", "久要": colloquial joins) weighs nothing."""
    return {g: math.log((n + 1) / df[g]) for g in q if df.get(g)}


# Levels on three scales a question may name: 级 (Ⅱ级, 二级), severity words, warning colours.
_GRADE = re.compile(r"(?<![上下本同各逐每哪几第])([ⅠⅡⅢⅣ]|IV|I{1,3}|[一二三四1-4])\s*级")
_SEVERITY = re.compile(r"特别重大|(?<!特别)重大|较大|一般")
_COLOUR = re.compile(r"([红橙黄蓝])色")
_CLASS = re.compile(r"(?<![上下本同各逐每哪几第])([ⅠⅡⅢⅣ]|IV|I{1,3}|[一二三四])\s*类(?![型别似清])")
_LEVEL_NO = {"Ⅰ": 1, "I": 1, "一": 1, "1": 1, "Ⅱ": 2, "II": 2, "二": 2, "2": 2, "Ⅲ": 3, "III": 3,
             "三": 3, "3": 3, "Ⅳ": 4, "IV": 4, "四": 4, "4": 4, "特别重大": 1, "重大": 2, "较大": 3,
             "一般": 4, "红": 1, "橙": 2, "黄": 3, "蓝": 4}


def levels(text: str) -> dict[str, set[int]]:
    """The levels a text names on each scale, as numbers: Ⅱ级 and 二级 are both grade 2."""
    return {name: {_LEVEL_NO[m.group(m.lastindex or 0)] for m in rx.finditer(text)}
            for name, rx in (("grade", _GRADE), ("severity", _SEVERITY), ("colour", _COLOUR),
                             ("class", _CLASS))}


def _agrees(asked: dict[str, set[int]], text: str | dict[str, set[int]]) -> bool:
    """A clause about other levels than the ones asked ("四级响应由谁终止" vs "一级响应……") does
    not answer; nor one naming no 级 or colour when the question names one (the answer to "Ⅰ级
    预警由谁发布" is a rule for Ⅰ级). A severity word may be the question's setting only."""
    named = levels(text) if isinstance(text, str) else text
    for scale in ("severity", "class"):
        if asked.get(scale) and named.get(scale) and not asked[scale] & named[scale]:
            return False
    if asked.get("class") and not named.get("class"):
        return False  # "Ⅲ类避难场所": a clause of no class is about another thing
    # 级 and colour name the same levels (红色 is Ⅰ级, 蓝色 Ⅳ级): one scale
    want = asked.get("grade", set()) | asked.get("colour", set())
    have = named["grade"] | named["colour"]
    return not want or bool(want & have)


# What a 谁-question asks someone to do, and the posts it may ask about: the answering clause
# must say the same ("向谁备案" is not answered by "由……负责养护"; "副组长" not by "组长").
_ACTIONS = ("牵头", "配合", "协助", "参与", "审核", "审查", "审定", "确定", "解释", "规定", "负责", "启动", "终止", "结束", "解除", "发布", "决定", "批准", "宣布", "备案",
            "报告", "上报", "担任", "兼任", "组织", "指挥", "领导", "审议", "审批", "建立", "制定",
            "评估", "调查", "处置", "协调", "召集", "授权", "请求", "提出", "维护", "管理", "养护",
            "保管", "储备", "调用", "认定", "救援", "抢修", "检测", "监测", "核实", "通知",
            # colloquial short verbs: "谁批", "谁定", "归谁管", "谁说了算"
            "批", "定", "管", "说了算", "报")
POSTS = ("副总指挥", "总指挥", "副指挥长", "指挥长", "副组长", "组长", "副主任", "主任", "成员")


def focus_of(question: str) -> str:
    """The part of the question that asks ("市场监管局牵头，还有谁配合" → "还有谁配合")."""
    parts = [p for p in re.split(r"[，,？?；;。]", question) if p.strip()]
    return next((p for p in reversed(parts) if asked_kind(p)), question)


# A post is held "由X担任" or "X任组长": either answers 谁担任.
_SAME_ACT = {"担任": ("担任", "兼任", "任"), "兼任": ("兼任", "担任", "任"),
             "批": ("批准", "审批", "批"), "定": ("决定", "确定", "制定", "规定", "审定"),
             "管": ("负责", "管理", "主管", "管"), "说了算": ("决定", "批准", "确定"),
             "报": ("报告", "上报", "报送", "报请", "报"),
             "牵头": ("牵头", "会同")}  # "由A会同B做好……": A leads


def _asks_same(question: str, text: str, strict: bool = False) -> bool:
    """`text` does what the 谁-question asks (its act, its post); `strict`: a question whose act
    is none we know ("谁说了算开") is not answered at all."""
    focus = focus_of(question)
    at = max(focus.rfind("谁"), focus.rfind("哪"))
    acts = ([a for a in _ACTIONS if a in focus[at:]] or [a for a in _ACTIONS if a in focus]
            or [a for a in _ACTIONS if a in question])
    same = dict(_SAME_ACT)
    if GROUP.search(question):  # a group's lead is its 组长 ("新闻宣传组谁牵头")
        same["牵头"] = ("牵头", "任组长", "担任组长")
    if acts and not any(b in text for a in acts for b in same.get(a, (a,))):
        return False
    asked_posts = [p for p in POSTS if p in focus] or [p for p in POSTS if p in question]
    if not asked_posts:
        return bool(acts) or not strict
    return names_post(asked_posts[0], text)


def asked_acts(question: str) -> list[str]:
    """The acts a question asks about ("多久报" → 报), from its asking part first."""
    focus = focus_of(question)
    return [a for a in _ACTIONS if a in focus] or [a for a in _ACTIONS if a in question]


def does_asked(question: str, text: str) -> bool:
    """`text` does what the question asks someone to do, leniently (负责 does for 牵头), for a
    question with an act of its own; a text that only describes the situation does not."""
    acts = asked_acts(question)
    if not acts:
        return False
    lenient = {"牵头": ("牵头", "负责", "组长"), "配合": ("配合", "协助", "参与", "参加")}
    return any(b in text for a in acts for b in lenient.get(a, _SAME_ACT.get(a, (a,))))


def names_post(post: str, text: str) -> bool:
    """`text` names the post itself: 组长 is not named by 副组长."""
    return any(post.startswith("副") or text[max(0, i - 1):i] != "副"
               for i in (m.start() for m in re.finditer(post, text)))


def value_core(value: str) -> str:
    """What a value names, without the words around it ("由区民防办牵头" → 民防办)."""
    core = re.sub(rf"^(?:由|报告|报送|报请|上报|报|向|经|请)|{_ACT}$|(?:任|担任).*$", "", value)
    return re.sub(r"^[区市县省镇]", "", core)


def _restates(value: str, question: str) -> bool:
    """The value only repeats the question ("建设工程指挥部总指挥是谁" → "由区建设工程指挥部总指挥
    决定"): no answer. An organisation sharing words with the incident (生态环境部 for 生态环境
    事件) is an answer."""
    core = value_core(value)
    return len(core) >= 2 and core in question


_UNIT_ASKED = re.compile(r"(?:多少|几)个?(小时|月|工作日|人|名|家|处|座|台|辆|支|艘|架|套|件|吨|顶|张|天|日"
                         r"|分钟|年|次|个)")
_NOUN_ASKED = re.compile(r"哪(?:家|个|些|一家|一个|几个|几家)([\u4e00-\u9fff]{2,4})")
_GENERIC_NOUNS = {"单位", "部门", "机构", "处室", "方面", "层级", "地方", "预案", "文件", "法律"}


_SAME_UNIT = {"天": ("天", "日"), "日": ("日", "天")}  # "多少天" is answered by "30日内"


def _fits(kind: str, question: str, piece: str, found: str) -> bool:
    """The value is of the asked shape: the unit asked ("多少人" → 人), the thing asked ("哪家医院"
    → a 医院), one level only for 哪一级."""
    if kind in ("number", "duration", "frequency") and (u := _UNIT_ASKED.search(question)):
        unit = u.group(1)
        if unit == "个":  # "几个专家": counted in 人 or 名 as well
            if not re.search(r"[个人名家位]", found):
                return False
        elif not any(u in found for u in _SAME_UNIT.get(unit, (unit,))):
            return False
    if kind == "who" and (n := _NOUN_ASKED.search(question)) and not any(
            g in n.group(1) for g in _GENERIC_NOUNS):  # "哪家参建单位": a 单位 will do
        if n.group(1)[:2] not in piece:
            return False
    if kind == "level" and sum(map(len, levels(piece).values())) > 1:
        return False
    return True


# A group the question names ("综合协调组副组长", "应急指挥组"), not a post (组长) or a verb.
GROUP = re.compile(r"(?:(?![的之和与及])[\u4e00-\u9fff]){1,5}(?:小组|工作组|专家组|[^副正的]组)"
                   r"(?![长员成织建])")


def names_group(groups: list[str], text: str) -> bool:
    """`text` names one of the groups by its own name ("事故后勤保障组" by 后勤保障组, 保障组), not
    by another's that ends alike (通信保障组 is not 后勤保障组)."""
    for g in groups:
        for i in range(len(g) - 2):
            for m in re.finditer(re.escape(g[i:]), text):
                before = text[m.start() - 1] if m.start() else ""
                if not ("\u4e00" <= before <= "\u9fff") or (i and before == g[i - 1]):
                    return True
    return False


# A duty listed under its body's heading ("2.1.2 领导小组办公室" … "（4）……后，负责组织总结评估工作；")
# names no doer of its own: the heading is the doer.
_NO_SUBJECT = re.compile(r"^(?:[^，。；：]{0,30}?(?:后|时|前|期间|中)[，,])?"
                         r"(?:负责|组织|参与|协助|指导|配合|做好|承担|牵头|开展|协调|督促|统一|研究"
                         r"|收集|调度|指挥|监督|检查|审核|发布|提出|编制|制定|落实)")
_BODY_HEADING = re.compile(rf"[\u4e00-\u9fff、]{{1,20}}?{_ORG}")


def _doer_from_heading(part: str, heading: str, question: str) -> tuple[str, str] | None:
    """(heading：clause, heading) for a subject-less duty clause under a heading that is a
    body's name, when the clause does what the 谁-question asks."""
    name = strip_number(heading).strip()
    if (not _BODY_HEADING.fullmatch(name) or not _NO_SUBJECT.match(part.strip())
            or not _asks_same(question, part, strict=True)):
        return None
    return f"{name}：{part.strip().rstrip('；;。')}", name


def _answer_piece(part: str, heading: str, kind: str, value: re.Pattern[str], question: str,
                  q: set[str], asked: dict[str, set[int]]) -> tuple[str, str] | None:
    """(the piece of the clause that states the value, the value): of the pieces between commas
    holding the value, of the level asked and saying what a 谁-question asks (its post and
    action), the one sharing most of the question's words; a short piece keeps the one before
    it ("领导小组下设办公室，设在建设管理处")."""
    pieces = [p for p in _PIECE.split(part.strip().rstrip("；;。")) if p.strip()]
    best = None
    for i, piece in enumerate(pieces):
        m = _best_title(piece, value, q) if kind == "document" else value.search(piece)
        got = m.group(0) if m else (by_verb(question, pieces, i) if kind == "who" else None)
        if (not got or (kind == "who" and not _asks_same(question, piece, strict=True))
                or not _fits(kind, question, piece, got)
                or not _agrees(asked, _levels_at(pieces, i, heading))):
            continue
        if not _figures_agree(question, "".join(pieces[max(0, i - 1):i + 1])):
            continue  # "一次超过20万元要谁批" is not answered by the rule for 20万元以下
        text = piece.rstrip("，,：:")
        if i and (len(text) < 12 or _OPEN_BY.search(pieces[i - 1])):
            text = pieces[i - 1] + text  # "视情由A常务副主任，B、C负责人任副组长": A is one of them
        hits = len(q & bigrams(text))
        if not hits and i and not _PIECE_STARTS_OWN.match(piece):
            # "专家接到调用通知后，应当在30分钟内答复": the piece before says whose deadline it is
            hits = len(q & bigrams(pieces[i - 1])) / 2
        if not hits and kind == "document" and i + 1 < len(pieces) and len(pieces[i + 1]) <= 12:
            hits = len(q & bigrams(pieces[i + 1])) / 2  # "根据《……》，制定本条例": what it is for
        if not hits and kind != "who":
            continue  # a value in words of its own ("24小时值守电话") answers something else
        if best is None or hits > best[0]:
            best = (hits, text.strip(), got)
    return best[1:] if best else None


# Words around a question's 谁 that are no act of its own ("还要通知哪些单位": 通知 is the act).
_NOT_ACT = {"要", "还要", "应", "应当", "应该", "需要", "需", "来", "去", "会", "能", "可以", "是", "由",
            "给", "向", "到", "至", "把", "让", "请", "还", "都", "又", "得"}
_HOLDER = re.compile(rf"([\u4e00-\u9fff、]{{0,30}}{_ORG})(?:等(?:有关|相关)?(?:部门|单位|机构))?"
                     r"(?:应当|应|须|要|依法|负责)*$")


@lru_cache(maxsize=256)
def _asked_verbs(question: str) -> tuple[str, str]:
    """(the act whose object the question asks: "还要通知哪些单位" → 通知, "报给区里哪些部门" → 报给;
    the act whose doer it asks: "由哪些部门负责建立健全……" → 建立健全), "" where none."""
    import jieba.posseg

    focus = focus_of(question)
    words = [(w.word, w.flag) for w in jieba.posseg.cut(focus)]
    at = next((i for i, (w, _) in enumerate(words) if w == "谁" or w.startswith("哪")), None)
    if at is None:
        return "", ""
    obj = ""
    for w, flag in reversed(words[:at]):
        if flag.startswith(("s", "f")) or w in _NOT_ACT:
            continue  # "报给区里哪些部门": a place word between the act and the question word
        if flag.startswith("v") or w in _ACTIONS:
            obj = w
        break
    subj = ""
    if at and words[at - 1][0] == "由":
        after = words[at + 1:]
        while after and (after[0][1].startswith("n") or after[0][0] in _NOT_ACT):
            after = after[1:]  # "由哪些部门来……": the noun asked, then its act
        acts = [w for w, f in after if len(w) >= 2 and w != "负责"]
        subj = acts[0] if acts else ""
    return obj, subj


def by_verb(question: str, pieces: list[str], i: int) -> str | None:
    """The bodies a 谁-question asks for, read off the act it names: after the act for an object
    ("并通知公安机关、劳动保障部门……" for "还要通知哪些单位"), before it for a doer ("工业和信息化部、
    广电总局等有关部门建立健全……" for "由哪些部门负责建立健全……")."""
    obj, subj = _asked_verbs(question)
    piece = pieces[i]
    forms = [obj] if obj else []
    if len(obj) == 2 and obj[1] in "给到向至":  # "报给": 报告, 上报, 报送 it
        forms += _SAME_ACT.get(obj[0], (obj[0],))
    for form in forms:
        if (at := piece.find(form)) >= 0:
            tail = re.sub(r"^(?:给|至|到|向)", "", piece[at + len(form):]).strip()
            if NAMES_BODY.match(tail[:40]):
                return tail
    if subj and (at := piece.find(subj[:2])) >= 0:
        if at:
            h = _HOLDER.search(piece[:at].strip())
        elif i:  # "A指导……，综合协调……": the clause's subject, before its first act
            h = re.match(rf"[\u4e00-\u9fff、]{{0,30}}{_ORG}", pieces[0])
        else:
            h = None
        if h and h.group(1 if at else 0):
            return h.group(1 if at else 0)
    return None


# Words every plan's title has: they do not tell one listed title from another.
_TITLE_GENERIC = re.compile(r"应急预案|突发事件|预案|应急|专项|部门|总体|[\u4e00-\u9fff]{2,8}?(?:自治区|省|市|区|县)")


def _best_title(piece: str, value: re.Pattern[str], q: set[str]) -> re.Match[str] | None:
    """Of the titles a clause lists ("本预案与《……公路交通……》、《……网络安全……》衔接"), the one
    sharing most of the question's words beyond what every plan's title says; the first when
    none shares any."""
    found = list(value.finditer(piece))
    if len(found) < 2:
        return found[0] if found else None
    scored = [(len(q & bigrams(_TITLE_GENERIC.sub("|", m.group(0)))), -i, m)
              for i, m in enumerate(found)]
    return max(scored, key=lambda x: x[:2])[2]


def _figures_agree(question: str, text: str) -> bool:
    """The question's figures meet the ranges the text states for the same unit (or there is
    nothing to compare)."""
    asked = quantities(question)
    if not asked:
        return True
    for unit, low, high in constraints(text):
        values = [q.value for q in asked if q.unit == unit]
        if values and not any(within(v, low, high) for v in values):
            return False
    return True


def _from_lead(lead: str, item: str, heading: str, kind: str, value: re.Pattern[str],
               question: str, q: set[str], asked: dict[str, set[int]]) -> tuple[str, str] | None:
    """An item of a list whose lead holds the value for every item ("有下列情形之一的……并处五万元
    以上二十万元以下的罚款：" over "（二）未及时消除……的"): (the item, then the lead's piece; the
    value). Only a lead with one such value: one that grades its items ("……的，处X；情节严重的，
    处Y") does not say which applies."""
    parts = [p for p in _CLAUSE.split(lead.rstrip("：:")) if value.search(p)]
    if len(parts) > 1:  # "……的，处X；情节特别严重的，处Y": Y only when the question says so
        parts = [p for p in parts if not (c := re.match(r"^([^，,：:]{1,12})的[，,]", p.strip()))
                 or re.search(r"下列|以下|如下", c.group(1)) or q & bigrams(c.group(1))]
    pieces = [p for p in _PIECE.split(parts[0]) if value.search(p)] if len(parts) == 1 else []
    if len(pieces) != 1:  # one value, or one range ("五万元以上二十万元以下") in one piece
        return None
    piece = pieces[0]
    m = value.search(piece)
    if not _fits(kind, question, piece, m.group(0)) or not _agrees(asked, parts[0] + item):
        return None
    return f"{strip_number(item).rstrip('；;。，,')}：{piece.strip().rstrip('，,：:')}", m.group(0)


# A piece that opens "由……" and never says what they do: the list goes on past the comma.
_OPEN_BY = re.compile(rf"由(?![^由]*{_ACT})[^由]*[，,]$")


def _levels_at(pieces: list[str], i: int, heading: str) -> dict[str, set[int]]:
    """The levels piece i speaks of, on each scale: its own, else those of the nearest piece
    before it in the clause naming some ("初判发生重大突发事件的，原则上由省级……组织"), else the
    heading's."""
    out: dict[str, set[int]] = {}
    found = [levels(p) for p in reversed(pieces[:i + 1])] + [levels(heading)]
    for scale in ("grade", "severity", "colour", "class"):
        out[scale] = next((f[scale] for f in found if f[scale]), set())
    return out


# A piece with a subject of its own ("区卫健委负责……") does not take the one before it.
_PIECE_STARTS_OWN = re.compile(r"^[^，。；：]{0,20}?(?:局|委|办|中心|部门|单位|政府|公司|队|所)")


@dataclass
class Candidate:
    coverage: float  # share of the question's weight the clause covers (context at CONTEXT)
    own: float  # share the clause's own words cover
    key: bool  # the question's rarest word is among them
    section: Section
    sentence: str
    clause: str
    value: str  # the asked kind of value the clause holds ("" if none)
    led: bool = False  # the value is the list's lead's, said of every item (Section.lead)


_ASKS_PURPOSE = re.compile(r"(?:起|发挥|有)[^，。？?]{0,4}?什么作用")


def rank(question: str, sections: list[Section], scope: Scope, df: tuple[dict[str, int], int],
         drop: set[str] = frozenset()) -> list[Candidate]:
    """Every clause (between ；) of the scope's retrieved sections, best covering first."""
    kind = asked_kind(question)
    value = kind[1] if kind else None
    asked = levels(question) if not (kind and kind[0] == "level") else {}
    if asked.get("colour"):  # the level is checked by number; 红色 need not be written
        drop = set(drop) | {c + "色" for c in "红橙黄蓝"}
    if _ASKS_PURPOSE.search(question):  # "起什么作用" asks what it does: no word to find
        drop = set(drop) | {"作用"}
    w = weights(question_terms(question) - drop, *df)
    total = sum(w[g] for g in sorted(w))
    if not total:
        return []
    groups = GROUP.findall(question)
    # the rarest content words (nouns, verbs: not 平时, 一次, 以后), ties all kept
    content = {g: v for g, v in w.items() if g in content_terms(question)} or w
    top = max(content.values())
    keys = {g for g, v in content.items() if v >= top - 1e-9}
    out: list[Candidate] = []
    for sec in sections:
        if not scope.allows(sec.doc_id):
            continue
        # the section's own heading ("（2）应急指挥组") names what its clauses are about; the
        # headings above, the title and the sentence before are context
        heading = sec.headings[-1] if sec.headings else ""
        around = " ".join([*sec.headings[:-1], sec.title, sec.lead])
        before = ""
        own_heading = strip_number(heading).strip()
        titled = sec.title if sec.doc_id in scope.topic else ""
        for raw in _SENT.split(sec.body):
            sentence = raw.strip()
            if not sentence:
                continue
            body = strip_number(sentence)
            if own_heading and body.strip() == own_heading:
                before = sentence
                continue  # the section's title line: context of its clauses, no answer
            parts = [c for c in _CLAUSE.split(body) if c.strip()] or [body]
            for part in parts:
                found = (_answer_piece(part, heading, kind[0], value, question, set(w), asked)
                         if value else None)
                if found is None and kind and kind[0] == "who" and _agrees(asked, part):
                    found = _doer_from_heading(strip_number(part), heading, question)
                led = False
                if found is None and value and sec.lead:
                    found = _from_lead(sec.lead, part, heading, kind[0], value, question,
                                       set(w), asked)
                    led = found is not None
                if found and "本预案" in found[1]:  # the plan speaking of itself names itself,
                    found = (part.strip().replace("本预案", f"《{sec.title}》"),  # in the whole
                             f"《{sec.title}》")  # clause saying when
                if found and ((kind[0] == "who" and _restates(found[1], question))
                              or (groups and not names_group(groups, f"{heading} {part}"))):
                    found = None
                # the title of the one plan the question's words single out speaks for each
                # of its clauses ("港口……蓝色预警由谁发布": 港口 is the plan's, not the clause's)
                # a sentence going on from the one before ("……组织专家论证。论证专家不少于5人")
                # says it of the same thing
                goes_on = before if found and _continues(before, body) else ""
                own = w.keys() & bigrams(f"{heading} {part} {titled} {sec.lead} {goes_on}")
                ctx = (w.keys() & bigrams(" ".join([around, before, body]))) - own
                o = sum(w[g] for g in sorted(own)) / total
                out.append(Candidate(coverage=o + CONTEXT * sum(w[g] for g in sorted(ctx)) / total,
                                     own=o, key=bool(keys & (own | bigrams(sentence))),
                                     section=sec, sentence=sentence,
                                     clause=found[0] if found else part.strip(),
                                     value=found[1] if found else "", led=led))
            before = sentence
    out.sort(key=lambda c: -c.coverage)
    return out


def _continues(before: str, body: str) -> bool:
    """`body` opens with the last words of the sentence before it: it goes on about them."""
    tail = re.sub(r"[^\u4e00-\u9fff]", "", before)[-6:]
    head = re.sub(r"[^\u4e00-\u9fff]", "", body)[:4]
    return len(head) == 4 and head[:2] in tail and len(tail) >= 4


def _far_ahead(best: Candidate, cands: list[Candidate]) -> bool:
    """Without the question's rarest word (a colloquial one: "工地" for a plan's 项目), a clause
    covering nearly all the rest by its own words, well ahead of any other sentence's."""
    other = next((c for c in cands if not _same_text(best, c)), None)
    return best.own >= STATE and (other is None or best.coverage - other.coverage >= MARGIN)


def _rival(best: Candidate, other: Candidate, topic: set[str]) -> bool:
    """`other` competes with `best`: not when the question's own words single out best's
    document (its title alone holds one) and not other's."""
    return not (topic and best.section.doc_id in topic and other.section.doc_id not in topic)


def clause_levels(c: Candidate) -> dict[str, set[int]]:
    """The levels a clause speaks of: its own and its heading's, else those of the nearest piece
    before it in its sentence ("启动Ⅳ级应急响应的，县应急指挥机构应报告……")."""
    heading = c.section.headings[-1] if c.section.headings else ""
    named = levels(f"{heading} {c.clause}")
    if named["grade"] or named["colour"]:
        return named
    at = c.sentence.find(c.clause[:12])
    for piece in reversed(re.split(r"[，,；;：:]", c.sentence[:at]) if at > 0 else []):
        found = levels(piece)
        if found["grade"] or found["colour"]:
            return {k: named[k] | found[k] for k in named}
    return named


def _level_set(c: Candidate) -> set[int]:
    named = clause_levels(c)
    return named["grade"] | named["colour"]


def decide(cands: list[Candidate], topic: set[str] = frozenset(),
           asked: set[int] = frozenset(), question: str = "") -> Candidate | None:
    """The best clause holding the asked value, when it covers enough of the question and no
    other clause — with another value, or with none — covers it about as well. `asked`: the
    levels the question names; a clause naming just those is more specific than one naming
    several ("Ⅲ级、Ⅳ级预警分别由市、县级……发布" beside "由县级……发布蓝色预警")."""
    with_value = [c for c in cands if c.value]
    if not with_value:
        return None
    if asked:
        exact = lambda c: _level_set(c) == set(asked)  # noqa: E731
        top = with_value[0].coverage
        ties = [c for c in with_value if top - c.coverage < 1e-9]
        with_value = sorted(ties, key=lambda c: not exact(c)) + with_value[len(ties):]
    if question and asked_acts(question) and not does_asked(question, with_value[0].clause):
        # "多久报": of the clauses about as good as the best, one doing the asked act first
        near = [c for c in with_value if with_value[0].coverage - c.coverage < MARGIN - 1e-9]
        doing = [c for c in near if does_asked(question, c.clause)]
        with_value = doing + [c for c in with_value if c not in doing]
    best = with_value[0]
    if best.coverage < FLOOR or best.own < OWN or not (best.key or _far_ahead(best, cands)):
        return None
    if (cands[0].coverage > best.coverage + MARGIN and cands[0].sentence != best.sentence
            and _rival(best, cands[0], topic)):
        return None
    for other in with_value[1:]:
        if best.coverage - other.coverage >= MARGIN - 1e-9:
            break
        if asked and _level_set(best) == set(asked) and _level_set(other) > set(asked):
            continue  # the same rule for several levels at once: less specific
        if (best.value and not NAMES_BODY.fullmatch(best.value) and does_asked(question, best.clause)
                and not does_asked(question, other.clause)):
            continue  # "多久报": a time for something else ("一般不超过3天") is no rival
        if (other.value != best.value and not _same_text(best, other)
                and _rival(best, other, topic)):
            return None
    return best


# Asking what someone does: answered by duties, not by who is in the group.
DOING = re.compile(r"做什么|干什么|干啥|怎么做|如何做|采取什么|哪些措施|什么措施|职责|负责什么|负责哪些"
                   r"|什么作用|哪些作用"
                   r"|哪些内容|哪几项|什么内容|包括哪些")
_HOLDS_POST = re.compile(r"(?:任|担任|兼任)(?:副?组长|副?主任|副?指挥长|副?总指挥|成员|组员)")

# A clause is the answer itself (for 怎么/什么/哪些 questions, or 谁 when the body is its subject)
# only when it covers nearly all of the question by its own words.
STATE = 0.8
STATE_OWN = 0.7


_FILLER = re.compile(r"[\s，,、；;。：:“”\"'（）()《》]|以及|和|及|与|并")
_DIGIT = str.maketrans("一二三四五六七八九", "123456789")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same_statement(a: str, b: str) -> bool:
    """Two clauses saying the same thing in nearly the same words: a plan restating its law
    ("分为特别重大、重大、较大、一般4级" and "……较大和一般四级"). One, without punctuation and
    conjunctions, runs through the other in order, is at least 0.85 of its length and has the
    same numbers."""
    x, y = (_FILLER.sub("", strip_number(t)).translate(_DIGIT) for t in (a, b))
    if re.findall(r"\d+", x) != re.findall(r"\d+", y):
        return False  # "1小时内" and "12小时内" are not the same rule
    short, long = sorted((x, y), key=len)
    return bool(short) and len(short) >= 0.85 * len(long) and _subsequence(short, long)


def _same_text(a: Candidate, b: Candidate) -> bool:
    return a.sentence == b.sentence or same_statement(a.clause, b.clause)


def state(question: str, cands: list[Candidate], topic: set[str] = frozenset()
          ) -> Candidate | None:
    """The clause that says what the question asks, stated whole: the top clause covers nearly
    all of the question's words by its own, holds its rarest word, names the group, level and
    act asked, and no clause of another sentence comes within MARGIN."""
    if not cands:
        return None
    kind = asked_kind(question)
    if kind is not None and kind[0] != "who":
        return None  # a duration, a level, a title… is stated from a clause holding one
    groups = GROUP.findall(question)
    duties = _group_duties(question, groups, cands, topic)
    if duties is not None:
        return duties
    best = cands[0]
    if (best.coverage < STATE or best.own < STATE_OWN or len(best.clause) < 8
            or not (best.key or _far_ahead(best, cands))):
        return None
    heading = best.section.headings[-1] if best.section.headings else ""
    text = f"{heading} {best.clause}"
    if _VERIFIES.search(question):
        return None  # "这一条对吗": the clause cited is no verdict on it
    if (twist := _TWIST.search(question)) and not question_terms(twist.group(1)) & bigrams(text):
        return None  # "……，但这事不归我们单位管": the clause must speak of what 但 turns to
    asked_levels = levels(question)
    if not _agrees(asked_levels, clause_levels(best)):
        return None
    if groups and not names_group(groups, text):
        return None
    if DOING.search(question) and _HOLDS_POST.search(best.clause):
        return None  # who leads the group is not what it does
    pred = _PREDICATE.search(question)
    if pred and pred.group(1) not in text:
        return None  # "专家组怎么组成" is answered by how it is formed, not by what it does
    if kind is not None and (not NAMES_BODY.search(best.clause)
                             or not _asks_same(question, best.clause)):
        return None
    wanted = asked_levels["grade"] | asked_levels["colour"]
    about = about_asked(question, best)
    best_phrase = phrased(question, best.clause)
    for other in cands[1:]:
        if best.coverage - other.coverage >= MARGIN - 1e-9:
            break
        if best.own - other.own >= MARGIN - 1e-9:
            continue  # as close only by its headings' and title's words: about something else
        if wanted and (not _agrees(asked_levels, clause_levels(other)) or not _level_set(other)):
            continue  # a rule for another level, or for none, beside the asked level's own rule
        if about and (_same_section(best, other) or not about_asked(question, other)):
            continue  # the section the question names by its heading ("资金保障") answers
        if best.section.doc_id == other.section.doc_id and best_phrase >= _phrase_lead(
                phrased(question, other.clause)):
            continue  # the question's phrase is best's ("应急预案由……组成"), only its words other's
        if wanted and _level_set(other) <= _level_set(best) and _names_same_doer(other, best):
            continue  # the asked level's rule said twice: "Ⅰ级预警由A启动和发布" beside "……由B报请A发布"
        if not _same_text(best, other):
            return None  # (a title word does not settle which of two whole clauses is meant)
    return best


# A clause holding a run of the question's characters this many times as long as another's
# (and 3 characters longer) is the one meant, when their words tie.
PHRASE_LEAD = 1.5


def _phrase_lead(other: int) -> float:
    return max(PHRASE_LEAD * other, other + 3)


def phrased(question: str, text: str) -> int:
    """The longest run of the question's characters that `text` holds as written (term
    proximity: "县级以上党委和政府应急预案由……组成" holds "县级以上党委和政府", "县级以上地方党委和
    政府……" only its words)."""
    q = re.sub(r"[^\u4e00-\u9fff\w]", "", question)
    text = re.sub(r"[^\u4e00-\u9fff\w]", "", text)
    longest, i = 0, 0
    while i < len(q) - longest:
        j = i + longest + 1
        if q[i:j] in text:
            longest = j - i  # a longer run from i
        else:
            i += 1
    return longest


def _same_section(a: Candidate, b: Candidate) -> bool:
    return (a.section.doc_id, a.section.path) == (b.section.doc_id, b.section.path)


def about_asked(question: str, c: Candidate) -> bool:
    """The clause's own heading is what the question asks about: every word of it is in the
    question ("6.4 资金保障" for "应急资金怎么保障"; not "（5）后勤保障组")."""
    heading = strip_number(c.section.headings[-1]).strip() if c.section.headings else ""
    words = [t for t in tokenize(heading) if len(t) >= 2]
    return bool(words) and len("".join(words)) >= 4 and all(t in question for t in words)


def _names_same_doer(other: Candidate, best: Candidate) -> bool:
    """`other`'s doer ("由A启动") is named in `best` as well."""
    m = _WHO_RX.search(other.clause)
    core = value_core(m.group(0)) if m else ""
    return len(core) >= 2 and core in best.clause


# A question asking whether something is right or in force ("这一条对吗", "还有效吗") wants a check.
_VERIFIES = re.compile(r"对吗|对不对|是否正确|正确吗|有效吗|还有效")
# A question turning on 但 ("发现了异常情况，但这事不归我们单位管，该怎么办") asks about that turn.
_TWIST = re.compile(r"(?:但是?|可是|然而|却)([^，,。？?]{2,})")
# "怎么组成", "如何保障", "怎样发布": what the question asks about the thing it names.
_PREDICATE = re.compile(r"(?:怎么|如何|怎样)([\u4e00-\u9fff]{2})")
_DUTY_LEAD = re.compile(r"^(?:主要职责|工作职责|职责)[：:]")


def _group_duties(question: str, groups: list[str], cands: list[Candidate],
                  topic: set[str] = frozenset()) -> Candidate | None:
    """What a named group does ("应急指挥组具体干啥"): the duty sentence under the group's own
    heading ("（2）应急指挥组" … "主要职责：……"), whole. The plan is told apart by the title's
    words (context), so only a clear lead over another plan's group of that name will do."""
    if not groups or not DOING.search(question):
        return None
    duty = [c for c in cands if c.section.headings and names_group(groups, c.section.headings[-1])
            and _DUTY_LEAD.match(c.sentence) and not _HOLDS_POST.search(c.clause)
            and len(_DUTY_LEAD.sub("", c.sentence).strip()) >= 6]  # not "主要职责：" alone
    if not duty:
        return None
    best = duty[0]
    if best.coverage < STATE - 0.05 or not best.key:
        return None
    for other in duty[1:]:
        if best.coverage - other.coverage >= MARGIN - 1e-9:
            break
        if (not _same_section(best, other) and other.sentence != best.sentence
                and _rival(best, other, topic)):
            return None  # another plan's group of that name, with other duties
    whole = best.sentence.rstrip("。；;")
    return Candidate(coverage=best.coverage, own=best.own, key=best.key, section=best.section,
                     sentence=best.sentence, clause=whole, value=whole)


_LATEST = re.compile(r"最近|最新|最后|最晚")
_EARLIEST = re.compile(r"最早|首次|第一次|最初")


def _date_key(value: str) -> tuple[int, int, int] | None:
    m = re.match(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?", value)
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)) if m else None


def _extreme_date(question: str, cands: list[Candidate]) -> Candidate | None:
    """"最近一次修正是什么时候": of one document's dated clauses that answer the question (the
    amendments in a law's header), the latest — or the earliest for 最早/首次."""
    latest, earliest = _LATEST.search(question), _EARLIEST.search(question)
    if bool(latest) == bool(earliest):
        return None
    dated = [c for c in cands if c.value and _date_key(c.value) and c.key]
    if not dated or dated[0].coverage < FLOOR or dated[0].own < OWN:
        return None
    doc = dated[0].section.doc_id  # its other dates hold the rarest word too ("修正")
    same = [c for c in dated if c.section.doc_id == doc]
    pick = max if latest else min
    return pick(same, key=lambda c: _date_key(c.value))


def read(question: str, cands: list[Candidate], topic: set[str] = frozenset()
         ) -> Reading | None:
    """The one clause that answers the question, or None when no clause clearly does; `cands`
    from `rank`; `topic`: the documents the question's words single out (Scope.topic)."""
    kind = asked_kind(question)
    if (kind is not None and kind[0] == "article") or len(asks(question)) > 1:
        return None  # article numbers are the article answers' job; two asks: ask_parts
    if kind and kind[0] == "level" and re.search(
            r"\d|[一二三四五六七八九十两百千万]+(?:人|个|户|小时|天)", question):
        return None  # which level given figures is a threshold comparison, not a sentence
    named = levels(question)
    best = (_extreme_date(question, cands) if kind and kind[0] == "date" else None) or (
        decide(cands, topic, named["grade"] | named["colour"], question) if kind else None)
    if best is None:
        best = state(question, cands, topic)
    if best is None:
        return None
    return Reading(doc_id=best.section.doc_id, title=best.section.title, section=best.section.path,
                   sentence=best.sentence, clause=best.clause, value=best.value or best.clause,
                   coverage=best.coverage, lead=best.section.lead if best.led else "",
                   lead_section=best.section.lead_path if best.led else "")
