"""`agent discover` on real repositories: stable ids, human edits, resolved items, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.discovery_support import backlog_items, by_text, discover
from tests.support import git, make_repo, tree_snapshot, write_files

MODULE = '''"""Tools."""


def parse(text):
    # TODO: accept bytes too
    return text.strip()


class Store:
    def save(self, item):
        # FIXME(#42): writes are not atomic
        return item
'''


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"tools.py": MODULE, "README.md": "# Tools\n"})


Run = tuple[pytest.CaptureFixture[str], pytest.MonkeyPatch]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return capsys, monkeypatch


def comments(run: Run, repo: Path, *args: str) -> dict[str, dict[str, object]]:
    done = discover(*run, str(repo), "--sources", "comments", "--json", *args)
    assert done.code == 0, done.err
    return by_text(done.json())


def test_ids_are_readable_and_identical_across_runs_and_clones(repo: Path, run: Run) -> None:
    first = comments(run, repo, "--no-write")
    assert re.fullmatch(r"TODO-[0-9a-f]{6}", str(first["accept bytes too"]["id"]))
    assert re.fullmatch(r"FIX-[0-9a-f]{6}", str(first["writes are not atomic"]["id"]))
    clone = repo.parent / "clone"
    git(repo.parent, "clone", "-q", str(repo), str(clone))
    again = comments(run, clone, "--no-write")
    assert {k: v["id"] for k, v in again.items()} == {k: v["id"] for k, v in first.items()}


def test_json_lists_backlog_fields_and_the_source(repo: Path, run: Run) -> None:
    item = comments(run, repo, "--no-write")["writes are not atomic"]
    assert item["type"] == "bug" and item["status"] == "NEW"
    assert item["business_value"] == 3 and item["effort"] == 2
    assert item["source"] == {
        "kind": "comments",
        "path": "tools.py",
        "line": 11,
        "fingerprint": item["source"]["fingerprint"],  # type: ignore[index]
        "tag": "FIXME",
        "text": "writes are not atomic",
    }
    assert "ref:#42" in item["tags"]  # type: ignore[operator]


def test_no_write_leaves_the_tree_byte_identical(repo: Path, run: Run) -> None:
    before = tree_snapshot(repo)
    comments(run, repo, "--no-write")
    assert tree_snapshot(repo) == before
    assert not (repo / "backlog.yml").exists()


def test_agent_dir_goes_to_info_exclude_not_gitignore(repo: Path, run: Run) -> None:
    comments(run, repo)
    assert ".agent/" in (repo / ".git" / "info" / "exclude").read_text().splitlines()
    assert not (repo / ".gitignore").exists()
    assert git(repo, "status", "--porcelain") == "?? backlog.yml\n"


def test_moved_and_edited_comments_keep_their_ids(repo: Path, run: Run) -> None:
    first = comments(run, repo)
    moved = "\n\n# unrelated new comment\nVERSION = 1\n\n" + MODULE.replace(
        "# FIXME(#42): writes are not atomic", "# FIXME(#42): writes are not atomic yet"
    )
    write_files(repo, {"tools.py": moved})
    again = comments(run, repo)
    assert again["accept bytes too"]["id"] == first["accept bytes too"]["id"]
    assert again["accept bytes too"]["source"]["line"] == 10  # type: ignore[index]
    edited = again["writes are not atomic yet"]
    assert edited["id"] == first["writes are not atomic"]["id"]
    assert len(backlog_items(repo)) == 2


def test_resolved_markers_are_done_with_the_commit(repo: Path, run: Run) -> None:
    ids = {k: v["id"] for k, v in comments(run, repo).items()}
    write_files(repo, {"tools.py": MODULE.replace("    # TODO: accept bytes too\n", "")})
    git(repo, "commit", "-qam", "accept bytes")
    done = discover(*run, str(repo), "--sources", "comments")
    assert done.code == 0, done.err
    assert "1 resolved" in done.out
    items = backlog_items(repo)
    gone = items[str(ids["accept bytes too"])]
    sha = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    assert gone["status"] == "DONE"
    assert f"resolved in code at {sha}" in gone["description"]
    assert items[str(ids["writes are not atomic"])]["status"] == "NEW"


def test_human_edits_survive_rediscovery(repo: Path, run: Run) -> None:
    ids = {k: v["id"] for k, v in comments(run, repo).items()}
    target = str(ids["accept bytes too"])
    text = (repo / "backlog.yml").read_text()
    block_start = text.index(f"id: {target}")
    block = text[block_start:]
    edited = block.replace("status: NEW", "status: READY", 1).replace(
        "business_value: 2", "business_value: 8", 1
    )
    edited = edited.replace(
        "created_at:", "acceptance_criteria:\n      - bytes work\n    created_at:", 1
    )
    (repo / "backlog.yml").write_text(text[:block_start] + edited)
    write_files(repo, {"tools.py": "\n" + MODULE})  # every line moves
    comments(run, repo)
    item = backlog_items(repo)[target]
    assert item["status"] == "READY" and item["business_value"] == 8
    assert item["acceptance_criteria"] == ["bytes work"]
    assert item["source"]["line"] == 6


def test_manual_items_are_untouched(repo: Path, run: Run) -> None:
    manual = (
        "version: 1\nitems:\n  - id: FEAT-1  # keep this comment\n    title: Manual work\n"
        "    type: feature\n    status: READY\n    business_value: 5\n    time_criticality: 3\n"
        "    risk_reduction: 2\n    effort: 3\n    created_at: 2026-11-01\n"
    )
    (repo / "backlog.yml").write_text(manual)
    comments(run, repo)
    text = (repo / "backlog.yml").read_text()
    assert text.startswith(manual)
    assert len(backlog_items(repo)) == 3


def test_identical_comments_in_one_file_get_distinct_stable_ids(repo: Path, run: Run) -> None:
    write_files(repo, {"twice.py": "# TODO: same\nx = 1\n# TODO: same\n"})
    first = discover(*run, str(repo), "--sources", "comments", "--json", "--no-write").json()
    ids = [i["id"] for i in first if i["source"]["path"] == "twice.py"]
    assert len(set(ids)) == 2
    again = discover(*run, str(repo), "--sources", "comments", "--json", "--no-write").json()
    assert [i["id"] for i in again if i["source"]["path"] == "twice.py"] == ids


def test_untracked_files_count_and_ignored_ones_do_not(repo: Path, run: Run) -> None:
    write_files(
        repo,
        {
            ".gitignore": "build/\n",
            "new.py": "# TODO: untracked but not ignored\n",
            "build/gen.py": "# TODO: ignored\n",
            "vendor/lib.js": "// TODO: vendored\n",
        },
    )
    found = comments(run, repo, "--no-write")
    assert "untracked but not ignored" in found
    assert "ignored" not in found and "vendored" not in found


def test_summary_table_counts_by_source_and_type(repo: Path, run: Run) -> None:
    done = discover(*run, str(repo), "--sources", "comments")
    assert done.code == 0, done.err
    assert re.search(r"comments\s+│\s+bug\s+│\s+1", done.out)
    assert re.search(r"comments\s+│\s+debt\s+│\s+1", done.out)
    assert "2 new, 0 updated, 0 unchanged, 0 resolved" in done.out


def test_not_a_repository_is_exit_2_without_traceback(tmp_path: Path, run: Run) -> None:
    done = discover(*run, str(tmp_path))
    assert done.code == 2
    assert done.err.strip() == f"error: {tmp_path}: not a git repository (run `git init` first)"


def test_repository_without_commits_is_exit_2(tmp_path: Path, run: Run) -> None:
    make_repo(tmp_path / "empty")
    done = discover(*run, str(tmp_path / "empty"))
    assert done.code == 2 and "no commits yet" in done.err
    assert "Traceback" not in done.err


def test_unknown_source_is_exit_2(repo: Path, run: Run) -> None:
    done = discover(*run, str(repo), "--sources", "comments,gossip")
    assert done.code == 2 and "unknown source 'gossip'" in done.err


def test_invalid_backlog_is_exit_2_and_left_alone(repo: Path, run: Run) -> None:
    (repo / "backlog.yml").write_text("version: 1\nitems: [\n")
    done = discover(*run, str(repo), "--sources", "comments")
    assert done.code == 2 and "backlog.yml" in done.err
    assert (repo / "backlog.yml").read_text() == "version: 1\nitems: [\n"


def test_backlog_source_lists_manual_items_too(repo: Path, run: Run) -> None:
    (repo / "backlog.yml").write_text(
        "version: 1\nitems:\n  - id: FEAT-1\n    title: Manual work\n    type: feature\n"
        "    status: READY\n    business_value: 5\n    time_criticality: 3\n"
        "    risk_reduction: 2\n    effort: 3\n    created_at: 2026-11-01\n"
    )
    done = discover(*run, str(repo), "--sources", "comments,backlog", "--json", "--no-write")
    assert [i["id"] for i in done.json()][-1] == "FEAT-1"
    only = discover(*run, str(repo), "--sources", "comments", "--json", "--no-write")
    assert "FEAT-1" not in {i["id"] for i in only.json()}


def test_score_off_the_scale_is_exit_2(repo: Path, run: Run) -> None:
    (repo / ".agent.toml").write_text("[discovery.scores.TODO]\neffort = 4\n")
    done = discover(*run, str(repo), "--sources", "comments")
    assert done.code == 2
    assert "discovery.scores.TODO.effort" in done.err and "1, 2, 3, 5, 8, 13" in done.err


def test_bad_discovery_setting_is_exit_2(repo: Path, run: Run) -> None:
    (repo / ".agent.toml").write_text('[discovery]\npython_tokenize = "sometimes"\n')
    done = discover(*run, str(repo), "--sources", "comments")
    assert done.code == 2 and ".agent.toml" in done.err and "python_tokenize" in done.err


def test_configured_scores_and_ready_comments(repo: Path, run: Run) -> None:
    (repo / ".agent.toml").write_text(
        '[discovery]\ncomment_status = "READY"\ntodo_type = "feature"\n'
        "[discovery.scores.TODO]\nbusiness_value = 8\ntime_criticality = 1\n"
        "risk_reduction = 1\neffort = 1\n"
    )
    item = comments(run, repo, "--no-write")["accept bytes too"]
    assert item["status"] == "READY" and item["type"] == "feature"
    assert item["business_value"] == 8 and item["effort"] == 1
