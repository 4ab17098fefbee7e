"""The public app is a one-way pipeline: each module imports only the layers below it, and no
import hides inside a function (which is how the old cache → warm → pages → cache circle hid).
A new module in public/ has to be given its layer here."""

import ast
from pathlib import Path

import public

PUBLIC = Path(public.__file__).resolve().parent

# Lower numbers are imported by higher ones, never the other way, nor sideways.
LAYERS = {
    "cache": 0,  # storage and HTTP: keys, ETag/304, Cache-Control, CORS, the nonce swap
    "labels": 1,  # reader-facing words, countries and the report chart: plain helpers
    "places": 1,
    "chart": 1,
    "languages": 1,  # a page's language versions: hreflang, the switch, og:locale
    "render": 2,  # what every renderer shares
    "service_state": 3,  # a service's state in words, shared by the home and service pages
    "pages": 4,  # the renderers
    "service_page": 4,
    "card": 3,  # the social cards (card.png), drawn from what the pages say
    "banner": 4,
    "statuspage": 4,
    "feeds": 4,
    "documents": 5,  # the registry: key, builder and policy of every document
    "views": 6,
    "warm": 6,
    "receivers": 7,
    "urls": 8,
    "urls_pages": 8,
    "apps": 8,
    "templatetags.public_tags": 8,
}
# The one function-level import allowed: receivers reach models, which the app registry must
# have loaded first.
ALLOWED_LATE_IMPORTS = {("apps", "public.receivers")}


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in PUBLIC.rglob("*.py"):
        relative = path.relative_to(PUBLIC).with_suffix("")
        if "migrations" in relative.parts or relative.name == "__init__":
            continue
        found[".".join(relative.parts)] = ast.parse(path.read_text(), str(path))
    return found


def public_imports(node: ast.AST) -> list[str]:
    """The public.* modules an import statement brings in (`from public import pages` too)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("public.")]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        if node.module == "public":
            return [f"public.{alias.name}" for alias in node.names]
        if node.module.startswith("public."):
            return [node.module]
    return []


def test_every_public_module_has_a_layer():
    assert set(modules()) == set(LAYERS)


def test_each_module_imports_only_layers_below_it():
    wrong = []
    for name, tree in modules().items():
        for node in ast.walk(tree):
            for imported in public_imports(node):
                target = imported.removeprefix("public.")
                if target not in LAYERS or LAYERS[target] >= LAYERS[name]:
                    wrong.append(f"{name} (layer {LAYERS[name]}) imports {imported}")
    assert wrong == []


def test_no_import_hides_inside_a_function():
    late: list[tuple[str, str]] = []
    for name, tree in modules().items():
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top_level:
                targets = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                targets = public_imports(node) or targets or [node.module or ""]
                late.extend((name, t) for t in targets if (name, t) not in ALLOWED_LATE_IMPORTS)
    assert late == []
