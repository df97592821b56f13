"""Every library the code imports is installed by what pyproject.toml declares.

A package installed by hand into a developer's .venv makes the tests pass there and
fail on CI's clean checkout (it happened: argon2, Flask-Login, Flask-WTF, nh3 and
markdown-it-py were imported and never declared). This walks the imports and checks
that each one's distribution is a declared requirement or one of their own."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from scorecard.settings import PROJECT_ROOT

FIRST_PARTY = {"scorecard", "ingest", "app", "tests", "bench"}
TEST_HELPERS = {p.stem for p in (PROJECT_ROOT / "tests").glob("*.py")}


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    return normalised(re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0])


def with_their_requirements(names: set[str]) -> set[str]:
    """The distributions `names` install: themselves and, recursively, what they need
    (extras are counted, which errs on the side of accepting)."""
    seen: set[str] = set()
    waiting = list(names)
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        waiting.extend(requirement_name(r) for r in needs if "extra ==" not in r)
    return seen


def imported_modules(paths: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path)
    return found


def undeclared(paths: list[Path], declared: set[str]) -> list[str]:
    installed_by = metadata.packages_distributions()
    allowed = with_their_requirements(declared)
    problems = []
    for module, path in sorted(imported_modules(paths).items()):
        where = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path.name
        if module in sys.stdlib_module_names or module in FIRST_PARTY or module in TEST_HELPERS:
            continue
        distributions = {normalised(d) for d in installed_by.get(module, [])}
        if not distributions:
            problems.append(f"{module} (imported in {where}) is not installed")
        elif not distributions & allowed:
            problems.append(f"{module} (imported in {where}) comes from "
                            f"{', '.join(sorted(distributions))}, which pyproject.toml does not declare")
    return problems


PROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = {requirement_name(r) for r in PROJECT["dependencies"]}


def test_the_app_imports_only_declared_libraries():
    code = [PROJECT_ROOT / "app.py", *(PROJECT_ROOT / "scorecard").rglob("*.py"), *(PROJECT_ROOT / "ingest").rglob("*.py")]
    assert undeclared(code, RUNTIME) == []


def test_the_tests_import_only_declared_libraries():
    extras = PROJECT["optional-dependencies"]
    declared = RUNTIME | {requirement_name(r) for r in extras["test"]}
    assert undeclared(list((PROJECT_ROOT / "tests").glob("*.py")), declared) == []


def test_the_check_itself_notices_an_undeclared_import(tmp_path):
    module = tmp_path / "uses_argon.py"
    module.write_text("import argon2\nimport json\nfrom scorecard import store\nimport flask\n", encoding="utf-8")
    problems = undeclared([module], {"dash"})   # dash brings flask, not argon2
    assert problems == [("argon2 (imported in uses_argon.py) comes from argon2-cffi, "
                        "which pyproject.toml does not declare")]
    assert undeclared([module], {"dash", "argon2-cffi"}) == []
