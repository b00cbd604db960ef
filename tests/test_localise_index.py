"""The ast index: definitions, spans, signatures, calls, imports, and files it must survive."""

from __future__ import annotations

import os
from pathlib import Path

from agent.localise import build_index
from agent.localise.callgraph import reach
from agent.localise.index import MAX_INDEX_BYTES
from agent.localise.rank import starting_points
from tests.support import make_repo

SHAPES = """\
import os.path
import pkg.core as core
from . import util
from .util import clean as tidy
from ..outside import nothing


@decorator
def top(a, b: int = 1, *rest, key, **options) -> int:
    helper()
    core.parse(a)
    os.path.join(a)
    return tidy(util.strip(b))


class Shape(Base, metaclass=Meta):
    class Inner:
        def deep(self):
            pass

    async def area(self, scale):
        def nested():
            return self.side(scale)

        return nested()
"""


def test_definitions_calls_and_imports(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"pkg/__init__.py": "", "pkg/shapes.py": SHAPES, "pkg/core.py": "", "pkg/util.py": ""},
    )
    module = build_index(repo).modules["pkg/shapes.py"]
    assert module.name == "pkg.shapes" and module.package == "pkg"
    spans = {d.qualname: (d.kind, d.start, d.end) for d in module.parsed.definitions}
    assert spans == {
        "top": ("function", 8, 13),
        "Shape": ("class", 16, 25),
        "Shape.Inner": ("class", 17, 19),
        "Shape.Inner.deep": ("method", 18, 19),
        "Shape.area": ("method", 21, 25),
    }
    top = module.defs["top"]
    assert top.signature == "def top(a, b: int=1, *rest, key, **options) -> int:"
    assert module.defs["Shape"].signature == "class Shape(Base, metaclass=Meta):"
    assert module.defs["Shape.area"].signature == "async def area(self, scale):"
    calls = {(c.name, c.receiver) for c in top.calls}
    assert calls == {
        ("helper", None),
        ("parse", "core"),
        ("join", "os.path"),
        ("tidy", None),
        ("strip", "util"),
    }
    assert ("side", "self") in {(c.name, c.receiver) for c in module.defs["Shape.area"].calls}
    assert module.parsed.imports == {
        "os": "os",
        "core": "pkg.core",
        "util": "pkg.util",
        "tidy": "pkg.util.clean",
    }


def test_unparsable_huge_and_non_utf8_files_are_skipped(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/broken.py": "def f(:\n",
        "pkg/ok.py": "def fine():\n    return 1\n",
        "pkg/huge.py": "x = 1\n" * (MAX_INDEX_BYTES // 6 + 10),
    }
    repo = make_repo(tmp_path / "repo", files)
    (repo / "pkg/latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\ndef caf\xe9_name():\n    pass\n"
    )
    (repo / "pkg/raw.py").write_bytes(b"def f():\n    return '\xff\xfe'\n")
    (repo / "pkg/nul.py").write_bytes(b"def f():\n    return 1\x00\n")
    (tmp_path / "outside.py").write_text("def private_outside():\n    pass\n")
    (repo / "pkg/link.py").symlink_to(tmp_path / "outside.py")
    index = build_index(repo)
    skipped = ["pkg/broken.py", "pkg/huge.py", "pkg/link.py", "pkg/nul.py", "pkg/raw.py"]
    assert sorted(index.skipped) == skipped
    assert "café_name" in index.modules["pkg/latin.py"].defs
    assert "fine" in index.modules["pkg/ok.py"].defs


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"mod.py": "def old():\n    pass\n"})
    first = build_index(repo).modules["mod.py"].parsed
    assert build_index(repo).modules["mod.py"].parsed is first  # unchanged: from the cache
    (repo / "mod.py").write_text("def new():\n    pass\n\n\ndef more():\n    pass\n")
    os.utime(repo / "mod.py", ns=(1, 1))
    assert set(build_index(repo).modules["mod.py"].defs) == {"new", "more"}


def test_module_names_src_layout_and_reexports(tmp_path: Path) -> None:
    files = {
        "src/lib/__init__.py": "from .engine import run\n",
        "src/lib/engine.py": "def run():\n    return 1\n",
        "scripts/tool.py": "def main():\n    pass\n",
    }
    index = build_index(make_repo(tmp_path / "repo", files))
    assert index.names["lib.engine"] == "src/lib/engine.py"
    assert index.names["src.lib.engine"] == "src/lib/engine.py"
    assert index.names["lib"] == "src/lib/__init__.py"
    assert index.names["scripts.tool"] == "scripts/tool.py"
    hit = index.resolve("lib.run")
    assert hit is not None and hit[0].path == "src/lib/engine.py" and hit[1] is not None


CALLERS = """\
from pkg.shapes import Square


def test_area():
    assert Square(2).area() == 4
"""
SHAPE_BASE = "class Base:\n    def area(self):\n        return self.side * self.count()\n"
SQUARE = """\
from pkg.base import Base


class Square(Base):
    def __init__(self, side):
        self.side = self.check(side)

    def check(self, side):
        return side

    def count(self):
        return 1
"""


def test_call_graph_follows_constructors_self_and_base_classes(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/base.py": SHAPE_BASE,
        "pkg/shapes.py": SQUARE,
        "tests/test_shapes.py": CALLERS,
    }
    index = build_index(make_repo(tmp_path / "repo", files))
    starts = starting_points(index, "tests/test_shapes.py", "test_area")
    reached = {(r.path, r.qualname): r.depth for r in reach(index, starts)}
    assert reached[("pkg/shapes.py", "Square")] == 1
    assert reached[("pkg/shapes.py", "Square.__init__")] == 1
    assert reached[("pkg/shapes.py", "Square.check")] == 2
    assert reached[("pkg/base.py", "Base.area")] == 1  # Square(2).area(): the one `area` method
    assert reached[("pkg/shapes.py", "Square.count")] == 2  # self.count() from Base.area
