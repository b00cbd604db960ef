"""Hierarchical fault localisation, a repository map and the ast index behind them (issue #14).

`localise` ranks candidate files, then functions, then lines from a failure; `repo_map` renders
module signatures within a token budget; `line_windows`/`file_windows`/`show_windows` pick and show
the line windows around anchors; `build_index` is the ast index the tools share.
"""

from agent.localise.index import RepoIndex, build_index
from agent.localise.models import Localisation, RankedFile, RankedFunction
from agent.localise.rank import localise
from agent.localise.repomap import repo_map
from agent.localise.windows import file_windows, line_windows, show_windows

__all__ = [
    "Localisation",
    "RankedFile",
    "RankedFunction",
    "RepoIndex",
    "build_index",
    "file_windows",
    "line_windows",
    "localise",
    "repo_map",
    "show_windows",
]
