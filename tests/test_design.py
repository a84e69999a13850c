"""The design, held by tests: the engine's modules import only down its layers, and the
engine knows no site: nothing in sitegen/ names this department, its partners or its
places (they belong in content/, data/ and templates/)."""

from __future__ import annotations

import ast
import graphlib
import re

from conftest import ROOT

# The pipeline's stages, bottom up. A module may import from its own layer and those below.
LAYERS = (
    ("tools", {"diagnostics", "textfile", "yamlsource", "urls", "clock", "cache", "parallel", "writer",
               "dialect", "sanitize", "images", "ical", "worldmap", "orthography"}),
    ("configuration", {"config", "schema"}),
    ("loading", {"sources", "data", "assets"}),
    ("model", {"i18n", "model", "translations", "addresses", "incremental"}),
    ("rendering", {"markup", "calendars", "render", "search", "hosting"}),
    ("running", {"pipeline", "report", "fixes", "scaffold"}),
    ("commands", {"serve", "cli"}),
)
LAYER_OF = {module: i for i, (_, modules) in enumerate(LAYERS) for module in modules}
PACKAGE = ROOT / "sitegen"
# What only this department's site may say: its institutions, projects, places and contacts.
DEPARTMENT = re.compile(r"kaznua|kaznui|kazakh|qozog|tashkent|toshkent|erasmus|uzdoc|unesco|dsmi|99871|rgisi"
                        r"|arts and culture|madaniyat instituti", re.I)


def _imports() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem == "__init__":
            continue
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                found.update(name for name in names if name != "__version__")
        graph[path.stem] = found
    return graph


def test_every_module_has_a_layer():
    assert set(_imports()) == set(LAYER_OF), "add new modules to LAYERS in tests/test_design.py"


def test_imports_point_down_the_layers_and_never_in_a_circle():
    graph = _imports()
    upward = [f"{module} ({LAYERS[LAYER_OF[module]][0]}) imports {name} ({LAYERS[LAYER_OF[name]][0]})"
              for module, names in graph.items() for name in sorted(names) if LAYER_OF[name] > LAYER_OF[module]]
    assert upward == []
    list(graphlib.TopologicalSorter(graph).static_order())  # raises CycleError on a circle


def test_the_engine_names_nothing_of_this_department():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
             if DEPARTMENT.search(line)]
    assert found == [], "\n".join(found)
