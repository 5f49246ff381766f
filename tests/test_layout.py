"""The rooms keep to what they are for (docs/architecture.md): HTML is written in Python only in
partnerships/html/, SQL and per-database branches only in partnerships/sql/ (and migrations, which
freeze theirs), and the import contract in pyproject.toml holds and catches an upward import."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "partnerships"
TAG = re.compile(r"<(/?)(a|abbr|br|div|h[1-6]|input|label|li|option|p|section|select|span|strong|table|td|th|tr|ul)\b")
SQL_CALLS = {"cursor", "RawSQL", "raw", "execute", "extra"}


def modules(outside):
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP)
        if relative.parts[0] not in (outside, "migrations"):
            yield relative, ast.parse(path.read_text(), str(path))


def docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                yield body[0].value


def test_html_is_written_in_python_only_in_the_html_room():
    found = []
    for relative, tree in modules("html"):
        skip = {id(node) for node in docstrings(tree)}
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) and id(node) not in skip else None
            if isinstance(text, str) and TAG.search(text):
                found.append(f"{relative}:{node.lineno}: {text[:60]!r}")
    assert found == []


def test_sql_and_database_branches_are_only_in_the_sql_room():
    found = []
    for relative, tree in modules("sql"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "vendor":
                found.append(f"{relative}:{node.lineno}: .vendor")
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if called in SQL_CALLS:
                    found.append(f"{relative}:{node.lineno}: {called}()")
    assert found == []


def lint_imports(root):
    """lint-imports run in `root` (a checkout, or a copy of one): (exit status, what it printed)."""
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_the_import_contract_holds():
    status, said = lint_imports(APP.parent)
    assert status == 0, said


def test_the_import_contract_catches_an_upward_import(tmp_path):
    for folder in ("partnerships", "databuild"):
        shutil.copytree(APP.parent / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(APP.parent / "pyproject.toml", tmp_path)
    rules = tmp_path / "partnerships" / "rules" / "text.py"
    rules.write_text(rules.read_text() + "\nfrom partnerships.public import exports  # noqa\n")
    status, said = lint_imports(tmp_path)
    assert status != 0
    assert "partnerships.rules is not allowed to import partnerships.public" in said
    assert "partnerships.rules.text -> partnerships.public.exports" in said


@pytest.mark.parametrize("room", ["public", "staff", "platform", "rules", "html", "sql"])
def test_every_room_is_in_the_contract(room):
    assert f'"partnerships.{room}' in (APP.parent / "pyproject.toml").read_text()
