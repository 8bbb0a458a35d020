"""The structured document every reader produces, whatever the file format.

Readers keep text verbatim (only line endings are normalised), so quotes taken from blocks
occur in the source as they are.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field



# A bracketed note with no figures on a title or header line ("（征求意见稿）", a data disclaimer):
# neither title, issuer nor date. Notes with figures ("（2024年修订）") carry the date and stay.
NOTE = re.compile(r"[（(][^（）()\d]{2,16}[）)]")

class Block(BaseModel):
    """One paragraph, heading or table row, in reading order."""
    text: str
    kind: Literal["paragraph", "heading", "table_row"] = "paragraph"
    heading_level: int | None = None  # from the file's own markup (docx style, markdown #)
    cells: list[str] = Field(default_factory=list)  # table rows only
    position: str = ""  # "line 12", "paragraph 40", "table 2 row 3"


class RawDocument(BaseModel):
    path: str
    format: str  # "txt", "md", "docx", …
    encoding: str | None = None  # text formats only
    title: str = ""
    blocks: list[Block] = Field(default_factory=list)
    # What the reader could not take over faithfully (a formula without its computed value).
    warnings: list[str] = Field(default_factory=list)

    def full_text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


class ReadError(Exception):
    """A file that cannot be read; the message names the file and the reason (in Chinese)."""


class Reader(Protocol):
    suffixes: tuple[str, ...]

    def read(self, path: Path) -> RawDocument: ...
