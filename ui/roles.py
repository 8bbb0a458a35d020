"""Who may see and do what: API keys mapped to roles in a TOML file, and the permissions of
each role. Shared by the API and the Streamlit pages.

The key file lists one table per key under `keys`; the table name is the key id written to the
audit log (never the key itself). A key is stored as its SHA-256 (`sha256 = "…"`, preferred;
`python -m ui.roles 新密钥` prints the line) or, for local trials, in clear (`key = "…"`).
Either way keys are compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ValidationError, field_validator

Role = Literal["viewer", "duty_officer", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
ROLE_NAMES_CN = {"viewer": "查看者", "duty_officer": "值班员", "admin": "管理员"}


class RoleConfigError(Exception):
    """The key file cannot be used (message in Chinese)."""


def can_see_phones(role: str | None) -> bool:
    """Experts' phone numbers are personal data: duty officers call them, others see masks."""
    return role in ("duty_officer", "admin")


def can_manage_documents(role: str | None) -> bool:
    """Ingesting and deleting documents changes what everyone is told: administrators only."""
    return role == "admin"


def phone_redactor(role: str | None) -> Callable[[str], str]:
    """Text as this role may see it: phone numbers masked unless `can_see_phones`."""
    if can_see_phones(role):
        return lambda text: text
    from retrieval.answers.experts import mask_phones_in_text

    return mask_phones_in_text


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKey(BaseModel):
    key_id: str
    role: Role
    sha256: str

    @field_validator("sha256")
    @classmethod
    def _hex(cls, v: str) -> str:
        v = v.strip().lower()
        if len(v) != 64 or any(c not in "0123456789abcdef" for c in v):
            raise ValueError("sha256 须为 64 位十六进制")
        return v


class KeyRing(BaseModel):
    keys: list[ApiKey] = []

    def lookup(self, key: str | None) -> ApiKey | None:
        """The entry of a presented key, or None. Every entry is compared (constant time per
        entry, no early exit), so timing tells nothing about which prefix matched."""
        if not key:
            return None
        digest = hash_key(key)
        found = None
        for entry in self.keys:
            if hmac.compare_digest(digest, entry.sha256):
                found = entry
        return found


def parse_keys(data: dict) -> KeyRing:
    tables = data.get("keys", {})
    if not isinstance(tables, dict):
        raise RoleConfigError("密钥文件格式错误：keys 应为表（[keys.<名称>]）。")
    out: list[ApiKey] = []
    for key_id, entry in tables.items():
        if not isinstance(entry, dict):
            raise RoleConfigError(f"密钥文件格式错误：[keys.{key_id}] 应为表。")
        digest = entry.get("sha256") or (hash_key(entry["key"]) if entry.get("key") else None)
        if digest is None:
            raise RoleConfigError(f"密钥 {key_id} 缺少 sha256（或 key）。")
        try:
            out.append(ApiKey(key_id=key_id, role=entry.get("role", ""), sha256=digest))
        except ValidationError:
            raise RoleConfigError(f"密钥 {key_id} 的角色或 sha256 无效（角色须为 "
                                  f"{'、'.join(ROLES)} 之一）。") from None
    return KeyRing(keys=out)


def load_keys(path: Path) -> KeyRing:
    """The key ring of a file; a missing file is an empty ring (every request is refused)."""
    if not path.is_file():
        return KeyRing()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise RoleConfigError(f"无法读取密钥文件 {path}：{e}") from e
    return parse_keys(data)


class KeyFile:
    """A key file re-read when it changes, so administrators add or revoke keys without a
    restart."""

    def __init__(self, path: Path):
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._ring = KeyRing()

    def ring(self) -> KeyRing:
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            self._ring = load_keys(self.path) if stamp else KeyRing()
            self._stamp = stamp
        return self._ring

    def lookup(self, key: str | None) -> ApiKey | None:
        return self.ring().lookup(key)


def key_entry(key: str, role: str, name: str) -> str:
    """The key file's table for a key: its name (written to the audit log), role and SHA-256."""
    if role not in ROLES:
        raise RoleConfigError(f"角色须为 {'、'.join(ROLES)} 之一。")
    name = name.strip()
    if not name:
        raise RoleConfigError("密钥名称不能为空。")
    bare = all(c.isascii() and (c.isalnum() or c in "-_") for c in name)
    table = name if bare else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f'[keys.{table}]\nrole = "{role}"\nsha256 = "{hash_key(key)}"'


def main(argv: list[str] | None = None) -> int:
    """python -m ui.roles 密钥 [角色] [名称] → the key file's table for the key."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m ui.roles", description="生成密钥文件中的一个条目（保存密钥的 SHA-256）。")
    parser.add_argument("key", help="新密钥（只打印它的 SHA-256）")
    parser.add_argument("role", nargs="?", default="viewer", choices=ROLES,
                        help="角色：viewer（查看者）、duty_officer（值班员）、admin（管理员）")
    parser.add_argument("name", nargs="?", help="条目名称，写入审计日志（如 值班台1、张三）；"
                                                "默认为角色名")
    parser.add_argument("--name", dest="name_opt", help="同上（名称）")
    args = parser.parse_args(argv)
    name = args.name_opt or args.name or args.role
    try:
        print(key_entry(args.key, args.role, name))
    except RoleConfigError as e:
        print(e, file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main())
