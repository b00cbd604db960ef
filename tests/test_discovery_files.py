"""Which files are read: git's list, skips (binary, size, excludes, symlinks) and the blob cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from agent.discovery.cache import CACHE_FILE
from agent.discovery.files import blob_id, compile_globs, list_files, matching
from tests.discovery_support import by_text, discover
from tests.support import git, make_repo, write_files

Run = tuple[pytest.CaptureFixture[str], pytest.MonkeyPatch]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return capsys, monkeypatch


def found(run: Run, repo: Path) -> dict[str, dict[str, object]]:
    done = discover(*run, str(repo), "--sources", "comments", "--json", "--no-write")
    assert done.code == 0, done.err
    return by_text(done.json())


def stats_line(run: Run, repo: Path) -> str:
    done = discover(*run, str(repo), "--sources", "comments", "--no-write")
    assert done.code == 0, done.err
    return next(line for line in done.out.splitlines() if line.startswith("comments:"))


def test_binary_and_oversized_files_are_skipped(tmp_path: Path, run: Run) -> None:
    repo = make_repo(tmp_path / "r", {"ok.py": "# TODO: small\n"})
    (repo / "blob.c").write_bytes(b"\0\1\2// TODO: binary\n")
    (repo / "big.py").write_text("# TODO: big\n" + "x = 1\n" * 200_000)
    items = found(run, repo)
    assert set(items) == {"small"}
    line = stats_line(run, repo)
    assert "skipped binary 1" in line and "skipped too large 1" in line


def test_configured_excludes_skip_files(tmp_path: Path, run: Run) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "src/a.py": "# TODO: keep\n",
            "src/gen/b_generated.py": "# TODO: generated\n",
            ".agent.toml": '[discovery]\nextra_exclude = ["**/*_generated.py"]\n',
        },
    )
    assert set(found(run, repo)) == {"keep"}


def test_symlinks_are_never_followed(tmp_path: Path, run: Run) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("# TODO: secret outside the repository\n")
    repo = make_repo(tmp_path / "r", {"a.py": "# TODO: inside\n"})
    os.symlink(outside, repo / "link.py")
    os.symlink(repo / "a.py", repo / "alias.py")
    git(repo, "add", "link.py")
    git(repo, "commit", "-qm", "link")
    items = found(run, repo)
    assert set(items) == {"inside"}
    assert items["inside"]["source"]["path"] == "a.py"  # type: ignore[index]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_skipped_with_a_count(tmp_path: Path, run: Run) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "# TODO: fine\n", "b.py": "# TODO: locked\n"})
    (repo / "b.py").chmod(0)
    try:
        assert set(found(run, repo)) == {"fine"}
    finally:
        (repo / "b.py").chmod(0o644)


def test_rescan_rereads_only_the_changed_file(tmp_path: Path, run: Run) -> None:
    files = {f"m{i}.py": f"# TODO: item {i}\n" for i in range(20)}
    repo = make_repo(tmp_path / "r", files)
    assert stats_line(run, repo) == "comments: files 20, read 20, cached 0"
    assert (repo / CACHE_FILE).is_file()
    assert stats_line(run, repo) == "comments: files 20, read 0, cached 20"
    write_files(repo, {"m3.py": "# TODO: item 3 changed\n"})
    assert stats_line(run, repo) == "comments: files 20, read 1, cached 19"
    assert "item 3 changed" in found(run, repo)


def test_corrupt_cache_is_rebuilt(tmp_path: Path, run: Run) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "# TODO: one\n"})
    (repo / CACHE_FILE).parent.mkdir(parents=True)
    (repo / CACHE_FILE).write_text("{not json")
    assert set(found(run, repo)) == {"one"}


def test_list_files_uses_git_blob_ids(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "x = 1\n"})
    write_files(repo, {"b.py": "y = 2\n"})
    listing = list_files(repo, ())
    blobs = {f.path: f.blob for f in listing.files}
    assert blobs["a.py"] == git(repo, "hash-object", "a.py").strip() == blob_id(b"x = 1\n")
    assert blobs["b.py"] is None  # untracked: hashed from its content when read


def test_globs() -> None:
    rx = compile_globs(["**/vendor/**", "*.min.js", "docs/*.md"])
    assert rx.match("vendor/a.py") and rx.match("x/vendor/y/z.py")
    assert rx.match("deep/app.min.js") and rx.match("docs/a.md")
    assert not rx.match("docs/sub/a.md") and not rx.match("vendors.py")


def test_matching_agrees_with_the_glob_regex() -> None:
    from agent.config.discovery_defaults import DEFAULT_EXCLUDES

    patterns = [*DEFAULT_EXCLUDES, "docs/*.md", "/top.py", "a?c/**", "*", "**"]
    paths = ["vendor/lib.js", "x/vendor/y.py", "vendors.py", "a.min.js", "docs/a.md", "top.py"]
    paths += ["sub/top.py", "abc/d.py", "ab/c.py", "backlog.yml", "x/backlog.yml", "p/q_pb2.py"]
    paths += ["node_modules/a.js", "y.lock", "z/package-lock.json", "plain.py", "a/b/c/d.go"]
    paths += ["vendor/vendor/backlog.yml", "é/vendor/ü.py"]
    for chosen in [patterns[:11], patterns[11:13], patterns[13:15], [patterns[15]], []]:
        rx = compile_globs(chosen)
        assert matching(chosen, paths) == {path for path in paths if rx.match(path)}, chosen
    assert matching(DEFAULT_EXCLUDES, ["a.py", "vendor/lib.js"]) == {"vendor/lib.js"}
    assert matching(DEFAULT_EXCLUDES, []) == set()


def test_git_grep_preselection_gives_the_same_items(tmp_path: Path, run: Run) -> None:
    files = {f"m{i}.py": f"x = {i}  # TODO: item {i}\n" for i in range(5)}
    files |= {"n.py": "debug = 1\n", "s.c": "/* Todo: mixed with colon */\n", "t.txt": "TODO\n"}
    repo = make_repo(tmp_path / "r", files)
    write_files(repo, {"u.py": "# FIXME: untracked\n"})
    plain = found(run, repo)
    (repo / ".agent").rename(tmp_path / "old-cache")
    (repo / ".agent.toml").write_text("[discovery]\ngrep_min_files = 0\n")
    assert found(run, repo) == plain
    assert "prefiltered by git grep 1" in stats_line(run, repo) or "cached" in stats_line(run, repo)


def test_deleted_tracked_file_is_skipped(tmp_path: Path, run: Run) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "# TODO: stays\n", "b.py": "# TODO: gone\n"})
    (repo / "b.py").unlink()
    assert set(found(run, repo)) == {"stays"}


def test_count_markers_reads_real_comments_and_writes_nothing(tmp_path: Path) -> None:
    from agent.config.discovery import DiscoverySettings
    from agent.discovery.scan_comments import count_markers

    repo = make_repo(
        tmp_path / "r",
        {"a.py": '# TODO: one\n# FIXME: two\nx = "# TODO: not a comment"\n', "b.c": "// BUG: c\n"},
    )
    assert count_markers(repo, DiscoverySettings()) == {"TODO": 1, "FIXME": 1, "BUG": 1}
    assert not (repo / ".agent").exists()
