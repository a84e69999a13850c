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
    ("lib", {"diagnostics", "textfile", "yamlsource", "urls", "clock", "cache", "parallel", "files", "writer",
             "pagefind", "dialect", "sanitize", "images", "ical", "worldmap", "orthography"}),
    ("configuration", {"config", "schema"}),
    ("loading", {"sources", "data", "assets"}),
    ("model", {"i18n", "documents", "model", "translations", "addresses", "incremental"}),
    ("rendering", {"markup", "calendars", "api", "render", "outputs", "search", "hosting"}),
    ("running", {"pipeline", "report", "fixes", "scaffold"}),
    ("commands", {"serve", "cli"}),
)
LAYER_OF = {module: i for i, (_, modules) in enumerate(LAYERS) for module in modules}
PACKAGE = ROOT / "sitegen"
# What only this department's site may say: its institutions, projects, places and contacts.
DEPARTMENT = re.compile(r"kaznua|kaznui|kazakh|qozog|tashkent|toshkent|erasmus|uzdoc|unesco|dsmi|99871|rgisi"
                        r"|arts and culture|madaniyat instituti", re.I)


def _imports() -> dict[str, set[str]]:
    """Each module of the engine and the modules of the engine it imports, by name
    (sitegen/lib/ holds the first layer's: `from .lib.urls import` names urls)."""
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.stem == "__init__":
            continue
        in_lib = path.parent.name == "lib"
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.level == 0:
                continue
            parts = node.module.split(".") if node.module else []
            if parts[:1] == ["lib"] and not in_lib:
                parts = parts[1:]
            names = parts[:1] or [a.name for a in node.names]
            found.update(name for name in names if name != "__version__")
        graph[path.stem] = found
    return graph


def test_the_first_layer_is_the_lib_folder():
    """sitegen/lib/ holds exactly the building blocks that know nothing of a site's model."""
    assert {path.stem for path in (PACKAGE / "lib").glob("*.py")} - {"__init__"} == LAYERS[0][1]
    assert not [path.stem for path in PACKAGE.glob("*.py") if path.stem in LAYERS[0][1]]


def test_every_module_has_a_layer():
    assert set(_imports()) == set(LAYER_OF), "add new modules to LAYERS in tests/unit/test_design.py"


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


def test_no_markdown_is_converted_while_a_template_renders(monkeypatch, tmp_path):
    """Markdown is a stage of its own: every body a page shows is converted before its
    template runs (and before its context is made), for pages rendered afresh and for the
    landing page and feeds of a build that takes unchanged pages from the previous one."""
    import sys

    from sitegen import markup, render
    from sitegen.pipeline import run

    original = markup.MarkdownRenderer.convert
    converted, inside = [], []

    def convert(self, doc, lang):
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == render.__file__ and frame.f_code.co_name in ("template", "context"):
                inside.append((doc.source.path.name, frame.f_code.co_name))
            frame = frame.f_back
        converted.append(doc.source.path.name)
        return original(self, doc, lang)

    monkeypatch.setattr(markup.MarkdownRenderer, "convert", convert)
    monkeypatch.setattr(render, "workers", lambda: 1)  # the checks above run in this process
    for site in (ROOT, ROOT / "examples" / "faculty"):
        out = tmp_path / site.name / "site"
        first = run(site, out=out, now="2026-12-07 09:00")
        assert first.written and converted, [d.format() for d in first.diagnostics.sorted()]
        converted.clear()
        (site / "content" / "_index.en.md").touch()  # a second build takes the unchanged pages over
        again = run(site, out=out, now="2026-12-07 09:00")
        assert again.written
    assert inside == []


def test_the_preview_builds_only_through_the_pipelines_stages():
    """serve.py keeps its state in one Memory and calls pipeline.run and pipeline.rerender:
    it makes no model and renders no page itself."""
    imported = _imports()["serve"]
    assert "pipeline" in imported and "cache" in imported
    assert not imported & {"model", "render", "markup", "translations", "incremental"}, imported


def test_the_template_api_reference_lists_exactly_what_templates_get():
    """docs/templates.md names every name of PageApi.names and of the pages that get
    more (render.py's extra names), and nothing else."""
    tree = ast.parse((PACKAGE / "api.py").read_text(encoding="utf-8"))
    names_method = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "names")
    returned = next(node.value for node in ast.walk(names_method) if isinstance(node, ast.Return))
    given = {key.value for key in returned.keys if isinstance(key, ast.Constant)}
    extra = set()
    for node in ast.walk(ast.parse((PACKAGE / "render.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "context":
            extra |= {keyword.arg for keyword in node.keywords}
    reference = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    documented = set()
    for row in re.findall(r"^\| (`[^|]+) \|", reference, re.M):
        documented |= {name.split("(")[0] for name in re.findall(r"`([^`]+)`", row)}
    assert len(given) > 60 and extra == {"root", "landing", "default_href"}
    assert documented == given | extra, (sorted(given | extra - documented), sorted(documented - given - extra))


def test_every_test_file_is_in_the_folder_of_its_level():
    """tests/unit (a module alone), tests/site (sites built in temporary folders),
    tests/browser (pages in Chromium), tests/properties (random and differential inputs)."""
    tests = ROOT / "tests"
    assert sorted(p.name for p in tests.glob("test_*.py")) == []
    levels = {p.parent.name for p in tests.rglob("test_*.py") if "corpus" not in p.parts}
    assert levels == {"unit", "site", "browser", "properties"}
