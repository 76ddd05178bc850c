"""Every services and selectors module is in mypy's typed layer (pyproject.toml), so that a
new one cannot be added without type hints that CI checks."""

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def typed_files():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["mypy"]["files"])


def test_every_services_and_selectors_module_is_type_checked():
    modules = {
        str(path.relative_to(REPO))
        for package in ("cadres", "programs", "trainings", "dashboard")
        for name in ("services.py", "selectors.py", "personal_data.py")
        for path in (REPO / package).rglob(name)
    }
    assert modules - typed_files() == set()


def test_the_core_is_type_checked_whole():
    assert "forkom" in typed_files()
