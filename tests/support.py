"""Helpers for tests: real temporary git repositories and byte-level tree snapshots."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test User",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test User",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in `repo` and return its stdout (raises on failure)."""
    full_env = {**os.environ, **GIT_ENV, **(env or {})}
    done = subprocess.run(
        ["git", *args], cwd=repo, env=full_env, check=True, capture_output=True, text=True
    )
    return done.stdout


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write `files` (relative path -> text) under `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_repo(root: Path, files: dict[str, str] | None = None, message: str = "initial") -> Path:
    """Create a git repository at `root` with `files` committed on branch main."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test User")
    git(root, "config", "user.email", "test@example.invalid")
    git(root, "config", "commit.gpgsign", "false")
    if files:
        write_files(root, files)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)
    return root


def tree_snapshot(root: Path, ignore: tuple[str, ...] = (".agent/",)) -> dict[str, str]:
    """Hash every working-tree file, the staged content and HEAD (not .git internals)."""
    snapshot: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".git" or rel.startswith(".git/") or rel.startswith(ignore):
            continue
        if path.is_file() and not path.is_symlink():
            snapshot[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    if (root / ".git").exists():
        snapshot[".git/HEAD@"] = git(root, "rev-parse", "HEAD").strip()
        snapshot[".git/index@"] = git(root, "ls-files", "--stage")
        snapshot[".git/staged@"] = git(root, "diff", "--cached", "--binary")
        snapshot[".git/status@"] = git(root, "status", "--porcelain=v1", "-uall")
    return snapshot
