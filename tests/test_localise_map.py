"""The repository map (signatures within a token budget) and the line windows around anchors."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.localise import build_index, line_windows, localise, repo_map
from agent.text.tokens import count_text
from tests.localise_support import bug_repo, run_pytest


@pytest.fixture(scope="module")
def bug(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    repo = bug_repo(tmp_path_factory.mktemp("map") / "repo", modules=60)
    return repo, run_pytest(repo, "tests/test_api.py::test_handle")


def _paths(text: str) -> list[str]:
    return [row[:-1] for row in text.splitlines() if row.endswith(".py:")]


def test_map_lists_the_localised_files_first_within_the_budget(bug: tuple[Path, str]) -> None:
    repo, failure = bug
    found = localise(repo, failure=failure, test_file="tests/test_api.py", test_function=None)
    text = repo_map(repo, found, 300)
    assert count_text(text) <= 300
    listed = _paths(text)
    assert listed[: len(found.paths)] == found.paths
    assert "   12: def parse(text):" in text  # line numbers and signatures
    cut = text.splitlines()[-1]
    assert cut.startswith("[repo map cut at the 300-token budget: ") and "more modules" in cut
    assert "tests/test_api.py" not in listed


def test_map_orders_the_rest_by_import_distance_and_is_whole_when_it_fits(
    bug: tuple[Path, str],
) -> None:
    repo, failure = bug
    found = localise(repo, failure=failure, test_file="tests/test_api.py", test_function=None)
    index = build_index(repo)
    text = repo_map(repo, found, 100_000, index=index)
    listed = _paths(text)
    expected = sorted(p for p in index.modules if not p.startswith("tests/"))
    assert sorted(listed) == expected and "[repo map cut" not in text
    rest = listed[len(found.paths) :]
    assert rest.index("pkg/util.py") < rest.index("pkg/gen/mod_030.py")  # core imports util
    assert count_text(text) <= 100_000


def test_a_first_file_larger_than_the_budget_is_cut_by_lines(tmp_path: Path) -> None:
    body = "".join(
        f"def function_number_{n}(argument, other=None):\n    pass\n" for n in range(300)
    )
    from tests.support import make_repo

    repo = make_repo(tmp_path / "repo", {"big.py": body, "small.py": "def f():\n    pass\n"})
    found = localise(
        repo, failure="big.py:3: in function_number_1", test_file=None, test_function=None
    )
    assert found.paths[0] == "big.py"
    text = repo_map(repo, found, 200)
    assert count_text(text) <= 200
    assert "more signatures not shown]" in text
    assert text.splitlines()[-1].startswith("[repo map cut at the 200-token budget: 1 more")
    assert repo_map(repo, found, 10) == ""  # too small to say anything, even the cut


def test_line_windows_merge_clip_and_cap_spans() -> None:
    assert line_windows([(1500, 1500)], 2000) == [(1494, 1506)]
    assert line_windows([(3, 3), (12, 12)], 100) == [(1, 18)]  # within the gap: merged
    assert line_windows([(3, 3), (40, 40)], 41, radius=2) == [(1, 5), (38, 41)]
    assert line_windows([(100, 400)], 1000, max_span=50) == [(100, 149)]
    assert line_windows([(10, 20), (15, 15)], 30, radius=1) == [(10, 20)]
    assert line_windows([], 10) == []
