#!/usr/bin/env python3
"""Print the section paths yingji's structure parser gives a document, with each section's first
line — the paths that planted_issues.json and QA items cite.

Usage: python corpus/eval/sections.py FILE [FILE...]   (run with the project's .venv)
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from ingest.readers import read_document  # noqa: E402
from ingest.structure import parse_sections  # noqa: E402

for name in sys.argv[1:]:
    doc = read_document(Path(name))
    print(f"== {name}  《{doc.title}》")
    for s in parse_sections(doc.blocks, doc.title):
        first = s.blocks[0].text if s.blocks else s.heading
        print(f"{s.path}\t{first[:70]}")
