"""The demo app sits on top: it imports the other apps, and none of them imports it, so the
product runs (and could ship) without the demo."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = ["outagedesk", "incidents", "newsroom", "public", "comments", "notifications"]


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_no_product_app_imports_the_demo():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for app in PRODUCT_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        for module in sorted(_imported_modules(path))
        if module == "demo" or module.startswith("demo.")
    ]
    assert offenders == []
