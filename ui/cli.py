"""`yingji` command line: ingest, ask, delete, index, prepare, serve, ui, server.

The embedding model is loaded only by commands that need it (ingest's index build, and ask
when no graph fact answers), so graph answers stay fast from a cold CLI.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from kg.store import GraphUnavailable
from ui import services
from ui.roles import ROLES, can_see_phones
from ui.table import render

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 2, 64
EXIT_FINDINGS = 1  # `check`: findings at error severity (for review pipelines)


def _settings(args: argparse.Namespace):
    from kg.settings import load_settings

    s = load_settings(getattr(args, "data_dir", None))
    logging.basicConfig(level=s.log_level, format="%(levelname)s %(name)s: %(message)s")
    return s


def cmd_ingest(args: argparse.Namespace) -> int:
    settings = _settings(args)
    paths = [Path(p) for p in args.paths]
    with _IngestProgress(paths, bar=args.progress or sys.stderr.isatty()) as progress:
        report = services.ingest(settings, paths, force=args.force, kind=args.kind,
                                 progress=progress, build_index=not args.no_index)
    status_cn = {"ingested": "已入库", "unchanged": "未变化", "failed": "失败"}
    rows = [[r.doc_id or Path(r.path).name, r.kind, status_cn[r.status], str(r.sections),
             "、".join(f"{k}:{v}" for k, v in sorted(r.facts.items())) or "-",
             r.error or _warning_cell(r.warnings)]
            for r in report.files]
    print(render(["文档", "类型", "状态", "章节", "事实", "警告/错误"], rows))
    n = len(report.files)
    failed = len(report.failed)
    by_type: dict[str, int] = {}
    for r in report.files:
        for k, v in r.facts.items():
            by_type[k] = by_type.get(k, 0) + v
    warnings = [(r, w) for r in report.files for w in r.warnings]
    print(f"\n共 {n} 个文件：入库 {sum(r.status == 'ingested' for r in report.files)}，"
          f"未变化 {sum(r.status == 'unchanged' for r in report.files)}，失败 {failed}；"
          f"新写入事实 {sum(by_type.values())} 条。")
    if report.index_repaired:
        print(f"检索索引与图谱不一致的文档 {len(report.index_repaired)} 个（上次导入可能被中断），已重建索引："
              + "、".join(report.index_repaired[:5]) + ("等" if len(report.index_repaired) > 5 else ""))
    if by_type:
        print("事实按类型：" + "、".join(f"{k} {v}" for k, v in
                                      sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))))
    if warnings:
        print(f"警告 {len(warnings)} 条" + ("：" if args.verbose else "（加 --verbose 逐条列出）。"))
        if args.verbose:
            for r, w in warnings:
                print(f"  [{r.doc_id or Path(r.path).name}] {w}")
    for r in report.failed:
        print(f"失败：{r.error}", file=sys.stderr)
    if n == 0:
        print("没有找到可入库的文件（支持 .txt .md .docx .pdf .html .xlsx .csv）。", file=sys.stderr)
        return EXIT_FAILURES
    return EXIT_FAILURES if failed else EXIT_OK


def _warning_cell(warnings: list[str]) -> str:
    if not warnings:
        return ""
    return "；".join(warnings[:2]) + (f" 等{len(warnings)}条" if len(warnings) > 2 else "")


class _IngestProgress:
    """Per-file progress on stderr: a bar on a terminal (or with --progress), else one line
    per file, so logs of unattended runs stay readable."""

    _MARK = {"ingested": "✓", "unchanged": "=", "failed": "✗"}

    def __init__(self, paths: list[Path], *, bar: bool):
        self._bar = None
        if bar:
            from tqdm import tqdm

            from ingest.pipeline import discover

            self._bar = tqdm(total=len(discover(paths)), desc="导入", unit="个文件",
                             file=sys.stderr, dynamic_ncols=True)

    def __enter__(self) -> _IngestProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def __call__(self, r) -> None:
        line = f"{self._MARK[r.status]} {r.path}"
        if self._bar is None:
            print(line, file=sys.stderr, flush=True)
            return
        if r.status == "failed":
            self._bar.write(line, file=sys.stderr)
        self._bar.set_postfix_str(Path(r.path).name, refresh=False)
        self._bar.update(1)


STATUS_LABELS = {"answered": "【直接答案】", "evidence": "【相关条文（未能确定答案）】",
                 "not_found": "【未找到相关内容】"}


def cmd_ask(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with services.assistant(settings) as assistant:
        questions = ([ln.strip() for ln in sys.stdin if ln.strip()] if args.question == "-"
                     else [args.question])
        for q in questions:
            answer = assistant.ask(q, show_phones=can_see_phones(args.role))
            if args.json or args.question == "-":
                print(json.dumps(answer.model_dump(), ensure_ascii=False), flush=True)
            else:
                print(STATUS_LABELS[answer.status])
                print(answer.answer)
                for i, c in enumerate(answer.citations, 1):
                    print(f"  [{i}]《{c.title}》{c.section}：{c.quote}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from retrieval.evaluate import evaluate, load_qa, render, write_failures

    settings = _settings(args)
    try:
        items = [it for f in args.qa_file for it in load_qa(Path(f))]
    except (OSError, ValueError) as e:
        print(f"错误：无法读取问答文件（{e}）", file=sys.stderr)
        return EXIT_FAILURES
    show = can_see_phones(args.role)
    with services.assistant(settings) as assistant:
        report = evaluate(items, lambda q: assistant.ask(q, show_phones=show))
    print(render(report))
    failures = Path(args.failures)
    write_failures(report, failures)
    print(f"未通过的 {len(report.failures)} 题已写入 {failures}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ui.check_report import render_report, to_xlsx

    settings = _settings(args)
    fmt = args.format
    if fmt == "xlsx" and not args.output:
        print("错误：--format xlsx 需要用 --output 指定文件。", file=sys.stderr)
        return EXIT_USAGE
    report = services.run_checks(settings, Path(args.draft) if args.draft else None,
                                 rules=args.rule or None, severity=args.severity,
                                 doc_id=args.doc, semantic=not args.no_semantic)
    if fmt == "xlsx":
        to_xlsx(report, Path(args.output))
        print(f"报告已写入 {args.output}（{report.summary()}）")
    elif args.output:
        Path(args.output).write_text(render_report(report, fmt) + "\n", encoding="utf-8")
        print(f"报告已写入 {args.output}（{report.summary()}）")
    else:
        print(render_report(report, fmt))
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if services.delete(settings, args.doc_id):
        print(f"已删除文档 {args.doc_id} 及其全部事实。")
        return EXIT_OK
    print(f"未找到文档 {args.doc_id}。", file=sys.stderr)
    return EXIT_FAILURES


def cmd_index(args: argparse.Namespace) -> int:
    settings = _settings(args)
    n = services.rebuild_index(settings)
    print(f"索引已更新：{n} 个章节。")
    return EXIT_OK


def cmd_prepare(args: argparse.Namespace) -> int:
    settings = _settings(args)
    path = services.prepare(settings)
    print(f"嵌入模型已就绪：{path}")
    return EXIT_OK


def cmd_server(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from kg.backends.arcadedb_server import ensure_server, server_status, stop_server

    if args.action == "start":
        info = ensure_server(settings)
        print(f"图数据库已运行：{info.bolt_uri}（数据目录 {settings.data_dir}）")
    elif args.action == "stop":
        print("图数据库已停止。" if stop_server(settings) else "图数据库未在运行。")
    else:
        status = server_status(settings)
        print(f"图数据库运行中：{status.bolt_uri}" if status else "图数据库未在运行。")
    return EXIT_OK


def cmd_ui(args: argparse.Namespace) -> int:
    settings = _settings(args)
    return services.run_chat(settings, port=args.port, address=args.address)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ui.api import create_app
    from ui.api.audit import RefusedByServer

    settings = _settings(args)
    if not settings.api_keys_file.is_file():
        print(f"提示：未找到密钥文件 {settings.api_keys_file}，除 /healthz 外的请求都将被拒绝（401）；"
              f"可参照 config/api_keys.example.toml 创建。", file=sys.stderr)
    print(f"应急知识图谱 API：http://{args.host}:{args.port}/docs  （按 Ctrl+C 退出）", flush=True)
    if args.workers > 1:
        # One process per core: answering is CPU work under one GIL per process. Each worker
        # builds its own app over the same data dir (and loads its own model).
        os.environ["YINGJI_DATA_DIR"] = str(settings.data_dir.resolve())
        uvicorn.run("ui.api.app:app_from_env", factory=True, workers=args.workers,
                    host=args.host, port=args.port, log_level="warning")
        return EXIT_OK
    app = create_app(settings)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    # After the config set up logging: uvicorn refuses malformed requests (a 900 KB URL)
    # before the app sees them, so its warning about them is audited too.
    logging.getLogger("uvicorn.error").addHandler(RefusedByServer(app.state.audit))
    uvicorn.Server(config).run()
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yingji", description="应急知识图谱助手")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    def add(name: str, help_: str, fn) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("--data-dir", help="数据目录（默认 ./data 或 YINGJI_DATA_DIR）")
        sp.set_defaults(fn=fn)
        return sp

    sp = add("ingest", "导入文档（目录会被遍历）", cmd_ingest)
    sp.add_argument("paths", nargs="+", metavar="PATH")
    sp.add_argument("--force", action="store_true", help="内容未变化也重新导入")
    sp.add_argument("--kind", choices=["plan", "regulation", "duty_list", "expert_roster", "other"],
                    help="指定文档类型，不自动识别")
    sp.add_argument("--no-index", action="store_true", help="只写入图谱，不更新检索索引")
    sp.add_argument("--progress", action="store_true",
                    help="显示进度条（标准错误输出为终端时默认显示）")
    sp.add_argument("--verbose", action="store_true", help="逐条列出导入警告")

    sp = add("ask", "提问（QUESTION 为 - 时从标准输入逐行读取，每行输出一个 JSON）", cmd_ask)
    sp.add_argument("question", metavar="QUESTION")
    sp.add_argument("--json", action="store_true", help="按回答契约输出 JSON")
    sp.add_argument("--role", choices=ROLES, default="viewer",
                    help="以哪种角色回答（默认 viewer：专家电话打码；duty_officer/admin 可见）")

    sp = add("eval", "用问答文件评测：各题型准确率、引用准确率、延迟", cmd_eval)
    sp.add_argument("qa_file", metavar="FILE.jsonl", nargs="+", help="一个或多个问答文件，合并评测")
    sp.add_argument("--failures", default="eval_failures.jsonl", help="未通过题目的输出文件")
    sp.add_argument("--role", choices=ROLES, default="duty_officer",
                    help="以哪种角色评测（默认 duty_officer：值班员所见，含专家电话）")

    sp = add("check", "一致性检查：预案之间、预案与清单、法规引用（有“错误”级问题时退出码为 1）",
             cmd_check)
    sp.add_argument("--draft", metavar="FILE", help="检查一份尚未入库的预案草案（不写入图谱）")
    sp.add_argument("--doc", metavar="DOC", help="只报告涉及某个已入库文档的问题")
    sp.add_argument("--format", choices=["table", "md", "json", "xlsx"], default="table",
                    help="报告格式（默认终端表格）")
    sp.add_argument("--output", metavar="PATH", help="写入文件（xlsx 必须指定）")
    sp.add_argument("--rule", action="append", metavar="R", help="只运行指定规则（可重复）")
    sp.add_argument("--severity", choices=["error", "warning", "info"],
                    help="只报告该级别及更严重的问题")
    sp.add_argument("--no-semantic", action="store_true",
                    help="不加载嵌入模型（职责匹配只用文字比对）")

    sp = add("delete", "删除一个文档及其全部事实", cmd_delete)
    sp.add_argument("doc_id", metavar="DOC")

    add("index", "重建向量与全文索引", cmd_index)
    add("prepare", "准备离线嵌入模型（只需一次）", cmd_prepare)

    sp = add("server", "管理本数据目录的图数据库服务", cmd_server)
    sp.add_argument("action", choices=["start", "stop", "status"])

    sp = add("serve", "启动 HTTP API（FastAPI，文档见 /docs）", cmd_serve)
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=8000)
    sp.add_argument("--workers", type=int, default=1,
                    help="工作进程数（默认 1；多核机器可设为核数以提高并发问答吞吐）")

    sp = add("ui", "启动值班台页面（Streamlit：值班问答、专家查询、预案库、一致性检查、文档管理）", cmd_ui)
    sp.add_argument("--port", type=int, default=8501)
    sp.add_argument("--address", default="127.0.0.1")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        return 130
    except services.ServiceError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_FAILURES
    except GraphUnavailable as e:  # the server died mid-command: each document is whole
        print(f"错误：{e} 已写入的文档保持完整，其余未处理；请稍后重新运行该命令。", file=sys.stderr)
        return EXIT_FAILURES


if __name__ == "__main__":
    sys.exit(main())
