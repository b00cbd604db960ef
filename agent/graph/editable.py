"""Which files GREEN may change, and how edit tools are held to them without hiding any.

A short list is an enum in the edit tools' argument schema (ADR 0009: a grammar-constrained
model cannot even name a test file). A long one would cost its tokens in every request and used
to be cut to the first 60 files, silently hiding the rest; past ENUM_LIMIT the path is free text,
checked when the tool is called, and a wrong path is refused naming the closest editable ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any, Literal, cast

from pydantic import Field, create_model

from agent.graph.item_checks import is_test_file
from agent.graph.sources import tracked_python
from agent.tools.base import ToolArgs, ToolResult, ToolSpec, Workspace
from agent.tools.common import finish, is_allowed
from agent.workspace.worktree import ItemWorkspace

ENUM_LIMIT = 60
"""Most paths offered as an enum (the old cap, so small repositories see the same schema)."""
CLOSEST = 3


def editable_files(ws: ItemWorkspace, shown: list[str]) -> list[str]:
    """Files GREEN may change: the `shown` focus files first, then all other in-scope code."""
    others = [
        path
        for path in tracked_python(ws.root)
        if not is_test_file(path) and path not in shown and is_allowed(path, ws.scope)
    ]
    return [*shown, *others]


def path_problem(path: str, editable: Sequence[str]) -> str | None:
    """Why `path` may not be edited (naming the closest editable paths), or None when it may."""
    if _normal(path) in editable:
        return None
    if is_test_file(_normal(path)):
        return f"{path} is a test file; change the code under test, never the tests"
    closest = closest_paths(path, editable)
    hint = f"; the closest are {', '.join(closest)}" if closest else ""
    return f"{path} is not a source file you may change{hint}"


def closest_paths(path: str, editable: Sequence[str]) -> list[str]:
    """Up to CLOSEST editable paths most like `path` (same file name first)."""
    name = PurePosixPath(path).name
    same_name = [p for p in editable if PurePosixPath(p).name == name]
    similar = difflib.get_close_matches(path, list(editable), n=CLOSEST, cutoff=0.5)
    return list(dict.fromkeys([*same_name, *similar]))[:CLOSEST]


def _normal(path: str) -> str:
    return path.strip().replace("\\", "/").removeprefix("./")


def limit_paths(spec: ToolSpec, paths: Sequence[str]) -> ToolSpec:
    """`spec` that may only name `paths`: an enum when short, else checked at call time."""
    if len(paths) <= ENUM_LIMIT:
        return _enum_paths(spec, paths)
    allowed = list(paths)

    def checked(workspace: Workspace, args: Any) -> ToolResult:
        problem = path_problem(args.path, allowed)
        if problem is not None:
            return finish(ToolResult(ok=False, output=f"refused: {problem}"), 400)
        return spec.function(workspace, args)

    return ToolSpec(spec.name, spec.args_model, checked)


def _enum_paths(spec: ToolSpec, paths: Sequence[str]) -> ToolSpec:
    field = spec.args_model.model_fields["path"]
    choice: Any = Literal[tuple(paths)]
    limited = create_model(
        spec.args_model.__name__,
        __base__=spec.args_model,
        __doc__=spec.args_model.__doc__,
        path=(choice, Field(description=field.description or "File to change.")),
    )
    return ToolSpec(spec.name, cast(type[ToolArgs], limited), spec.function)
