"""The dependency direction of the packages: project → home → workflows → customers → shared.

Read from the source (every import statement, also inside functions), so a
newcomer's shortcut through a lazy import fails here too.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "config",
    "core",
    "crm",
    "accounts",
    "visits",
    "complaints",
    "reports",
    "satisfaction",
    "home",
    "demo",
)
WORKFLOWS = {"visits", "complaints", "reports"}
# What each package may import besides itself.
ALLOWED = {
    "core": set(),
    "crm": {"core", "accounts"},
    "accounts": {"core", "crm"},
    "visits": {"core", "crm", "accounts"},
    "complaints": {"core", "crm", "accounts"},
    "reports": {"core", "crm", "accounts"},
    # Satisfaction is a workflow too; the monthly report reads it through crm.report_notes.
    "satisfaction": {"core", "crm", "accounts"},
    "home": {"core", "crm", "accounts", "satisfaction"} | WORKFLOWS,
    "demo": {"core", "crm", "accounts", "satisfaction"} | WORKFLOWS,
    "config": set(PACKAGES),
}


def imports_of(package):
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    found.setdefault(top, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_what_lies_below_it(package):
    forbidden = {
        other: where
        for other, where in imports_of(package).items()
        if other not in ALLOWED[package]
    }
    assert forbidden == {}


def test_the_home_app_is_the_only_app_importing_every_workflow():
    importers = {
        package
        for package in PACKAGES
        if package != "config" and set(imports_of(package)) >= WORKFLOWS
    }
    assert importers <= {"home", "demo"}
    assert "home" in importers
