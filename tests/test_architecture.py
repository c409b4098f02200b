"""Imports only point down: pathway/ -> services/ -> shared/, and each domain stays pure.

Read from the source with `ast`, nothing imported, so a forbidden import is
found even where it sits in a function or under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())
# shared.dates: calendar arithmetic that cannot overflow, standard library only.
DOMAIN_MAY_IMPORT = ("eventsourcing", "shared.domain", "shared.errors", "shared.dates")
NOT_IN_THE_REPOSITORY = {"tests", "build", "dist", "node_modules"}  # and hidden folders (.venv, .git)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> Iterator[str]:
    """Every module `path` imports; `from a import b` yields `a.b` (b may be a module)."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                yield module if alias.name == "*" else f"{module}.{alias.name}"


def is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def violations(files: list[Path], forbidden: Callable[[Path, str], bool]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in imports_of(path)
        if forbidden(path, name)
    ]


def service_of(path: Path) -> str:
    return path.relative_to(ROOT / "services").parts[0]


def test_the_scanner_sees_imports() -> None:
    # Guards the rules below against passing because nothing was found.
    found = set(imports_of(ROOT / "pathway" / "services.py"))
    assert {"services.intake.bootstrap", "shared.messaging.translation.Translator"} <= found
    assert len(python_files("shared")) > 5
    assert len(python_files("services")) > 10
    assert SERVICES == ["intake", "programmes", "release"]


def test_relative_imports_are_resolved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    module = tmp_path / "services" / "intake" / "domain" / "person.py"
    module.parent.mkdir(parents=True)
    module.write_text("from . import errors\nfrom ..application import Intake\nfrom .errors import X\n")

    assert list(imports_of(module)) == [
        "services.intake.domain.errors",
        "services.intake.application.Intake",
        "services.intake.domain.errors.X",
    ]


def test_shared_imports_no_service_and_not_pathway() -> None:
    found = violations(python_files("shared"), lambda _, name: is_under(name, "services") or is_under(name, "pathway"))
    assert not found, "shared/ is the ground floor:\n" + "\n".join(found)


def test_a_service_imports_no_other_service_and_not_pathway() -> None:
    def forbidden(path: Path, name: str) -> bool:
        others = [s for s in SERVICES if s != service_of(path)]
        return is_under(name, "pathway") or any(is_under(name, f"services.{other}") for other in others)

    found = violations(python_files("services"), forbidden)
    assert not found, "services share shared/ only:\n" + "\n".join(found)


def test_a_domain_imports_only_the_standard_library_eventsourcing_and_its_own_domain() -> None:
    def forbidden(path: Path, name: str) -> bool:
        own_domain = f"services.{service_of(path)}.domain"
        allowed = (*DOMAIN_MAY_IMPORT, own_domain)
        return name.split(".")[0] not in sys.stdlib_module_names and not any(is_under(name, a) for a in allowed)

    domains = [p for s in SERVICES for p in python_files(f"services/{s}/domain")]
    assert domains
    found = violations(domains, forbidden)
    assert not found, "a domain knows nothing of pydantic, kombu, nameko or SQL:\n" + "\n".join(found)


def test_only_pathway_and_tests_import_pathway() -> None:
    tops = [p for p in ROOT.iterdir() if p.name not in NOT_IN_THE_REPOSITORY and not p.name.startswith(".")]
    files = [p for top in tops if top.name != "pathway" for p in ([top] if top.is_file() else top.rglob("*.py"))]
    files = [p for p in files if p.suffix == ".py"]
    found = violations(files, lambda _, name: is_under(name, "pathway"))
    assert not found, "pathway/ is the top floor, nothing imports it:\n" + "\n".join(found)


def test_only_service_modules_import_nameko_or_eventlet() -> None:
    files = [p for p in python_files("services") if p.name != "service.py"]
    assert len(files) > 30
    found = violations(files, lambda _, name: name.split(".")[0] in ("nameko", "eventlet"))
    assert not found, "nameko and eventlet stay in service.py and the transport:\n" + "\n".join(found)


def test_a_domain_imports_no_sql_driver() -> None:
    domains = [p for s in SERVICES for p in python_files(f"services/{s}/domain")]
    drivers = ("sqlite3", "psycopg2", "psycopg", "sqlalchemy")
    found = violations(domains, lambda _, name: name.split(".")[0] in drivers)
    assert not found, "a domain knows nothing of SQL:\n" + "\n".join(found)
