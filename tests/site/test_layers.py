"""The layers of docs/architecture.md, held by a test.

    devdata/   dashboard/          may import anything below
    programs/  trainings/          import cadres and the core
    cadres/                        imports only the core
    forkom/                        the core: imports no app

Every module of the project (migrations aside) is parsed, and each import of another layer's
package that the table below does not allow fails the test with the file and the import.
What must cross a layer upwards does so by registration (forkom/personal_data.py).
"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent

# Each project package, and the packages it may import (besides itself and libraries).
ALLOWED = {
    "forkom": set(),
    "cadres": {"forkom"},
    "programs": {"forkom", "cadres"},
    "trainings": {"forkom", "cadres"},
    "dashboard": {"forkom", "cadres", "programs", "trainings"},
    "devdata": {"forkom", "cadres", "programs", "trainings"},
}


def imported_modules(source, module_name):
    """Every module `source` imports, absolute, also inside functions."""
    package = module_name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                yield ".".join([*base, node.module] if node.module else base)
            else:
                yield node.module


def violations(root=REPO, allowed=ALLOWED):
    """(file, imported module, message) for every import that runs the wrong way."""
    found = []
    for layer in allowed:
        for path in sorted((root / layer).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            module_name = ".".join(relative.with_suffix("").parts)
            for imported in imported_modules(path.read_text(encoding="utf-8"), module_name):
                top = imported.split(".")[0]
                if top in allowed and top != layer and top not in allowed[layer]:
                    may = (
                        "only " + ", ".join(sorted(allowed[layer])) if allowed[layer] else "no app"
                    )
                    found.append(
                        (
                            str(relative),
                            imported,
                            f"{relative} imports {imported}: {layer} may import {may}",
                        )
                    )
    return found


def test_no_import_runs_against_the_layers():
    assert [message for _path, _module, message in violations()] == []


def test_the_check_names_an_upward_import(tmp_path):
    (tmp_path / "cadres").mkdir()
    (tmp_path / "cadres" / "exports.py").write_text(
        "def data(user):\n    from programs.models import Proposal\n    return Proposal\n"
    )
    (tmp_path / "forkom").mkdir()
    (tmp_path / "forkom" / "helpers.py").write_text("from ..cadres import models\n")
    assert sorted(message for _path, _module, message in violations(tmp_path)) == [
        "cadres/exports.py imports programs.models: cadres may import only forkom",
        "forkom/helpers.py imports cadres: forkom may import no app",
    ]


def test_programs_and_trainings_do_not_import_each_other(tmp_path):
    (tmp_path / "trainings").mkdir()
    (tmp_path / "trainings" / "views.py").write_text("import programs.selectors\n")
    assert [module for _path, module, _message in violations(tmp_path)] == ["programs.selectors"]


def test_every_project_package_has_a_layer():
    packages = {
        path.parent.name
        for path in REPO.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench"}
    }
    assert packages == set(ALLOWED)
