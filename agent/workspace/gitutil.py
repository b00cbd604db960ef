"""Small git helpers shared by discovery, tools and reports (gitpython underneath)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import git

from agent.errors import InputError
from agent.system.fsutil import atomic_write_text


def open_repo(path: Path) -> git.Repo:
    """Open the git repository at `path`, or fail clearly (exit 2)."""
    try:
        repo = git.Repo(path, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise InputError(f"{path}: not a git repository (run `git init` first)") from None
    if not repo.head.is_valid():
        raise InputError(f"{path}: the repository has no commits yet (commit something first)")
    return repo


def head_sha(repo: git.Repo) -> str:
    """The commit HEAD points to."""
    return repo.head.commit.hexsha


@contextlib.contextmanager
def temporary_checkout(repo: git.Repo, rev: str = "HEAD") -> Iterator[Path]:
    """Check `rev` out in a detached temporary worktree; remove it afterwards, whatever happens."""
    parent = Path(tempfile.mkdtemp(prefix="agent-checkout-"))
    path = parent / "tree"
    repo.git.worktree("add", "--detach", "--quiet", str(path), rev)
    try:
        yield path
    finally:
        with contextlib.suppress(git.GitCommandError):
            repo.git.worktree("remove", "--force", str(path))
        shutil.rmtree(parent, ignore_errors=True)
        with contextlib.suppress(git.GitCommandError):
            repo.git.worktree("prune")


@dataclass(frozen=True)
class WorktreeEntry:
    """One registered worktree (`git worktree list --porcelain`)."""

    path: Path
    branch: str | None
    head: str | None
    prunable: bool = False
    locked: bool = False
    """Locked: by a user, or by git itself while `worktree add` runs (a kill leaves it so)."""


def worktrees(repo: git.Repo) -> list[WorktreeEntry]:
    """List the repository's registered worktrees, the main one first."""
    entries: list[WorktreeEntry] = []
    for block in repo.git.worktree("list", "--porcelain").split("\n\n"):
        fields = dict(_porcelain_field(line) for line in block.splitlines() if line)
        if "worktree" not in fields:
            continue
        branch = fields.get("branch")
        entries.append(
            WorktreeEntry(
                path=Path(fields["worktree"]),
                branch=branch.removeprefix("refs/heads/") if branch else None,
                head=fields.get("HEAD"),
                prunable="prunable" in fields,
                locked="locked" in fields,
            )
        )
    return entries


def _porcelain_field(line: str) -> tuple[str, str]:
    key, _, value = line.partition(" ")
    return key, value


def common_git_dir(repo: git.Repo) -> Path:
    """The repository's shared .git directory (the same from every worktree)."""
    return Path(repo.git.rev_parse("--path-format=absolute", "--git-common-dir"))


def branch_exists(repo: git.Repo, branch: str) -> bool:
    """True when the local branch `branch` exists."""
    try:
        repo.git.rev_parse("--verify", "--quiet", f"refs/heads/{branch}")
    except git.GitCommandError:
        return False
    return True


def current_branch(repo: git.Repo) -> str | None:
    """The branch checked out in `repo`'s working tree, or None when HEAD is detached."""
    return None if repo.head.is_detached else repo.active_branch.name


def ensure_excluded(repo: git.Repo, pattern: str) -> bool:
    """Add `pattern` to .git/info/exclude unless present; True when the file changed."""
    exclude = common_git_dir(repo) / "info" / "exclude"
    text = exclude.read_text(encoding="utf-8") if exclude.is_file() else ""
    if pattern in (line.strip() for line in text.splitlines()):
        return False
    prefix = "" if not text or text.endswith("\n") else "\n"
    atomic_write_text(exclude, f"{text}{prefix}{pattern}\n")
    return True


def changed_paths(root: Path, base: str) -> list[str]:
    """Files that differ from `base` in the worktree at `root`: committed, staged, unstaged, new."""
    repo = git.Repo(root)
    names = set(repo.git.diff("--name-only", "--no-renames", base, "--").splitlines())
    names |= set(repo.git.ls_files("--others", "--exclude-standard").splitlines())
    return sorted(name for name in names if name)


def changed_lines(root: Path, base: str) -> int:
    """Lines added plus removed since `base`, new untracked text files included."""
    repo = git.Repo(root)
    total = 0
    for line in repo.git.diff("--numstat", "--no-renames", base, "--").splitlines():
        added, removed, _path = line.split("\t", 2)
        total += (int(added) if added.isdigit() else 0) + (int(removed) if removed.isdigit() else 0)
    for name in repo.git.ls_files("--others", "--exclude-standard").splitlines():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            total += len((root / name).read_text(encoding="utf-8").splitlines())
    return total


def author_env(author: tuple[str, str]) -> dict[str, str]:
    """Git's variables that make `author` (name, email) both author and committer."""
    name, email = author
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def commit_all(
    root: Path, message: str, author: tuple[str, str], trailers: dict[str, str] | None = None
) -> str | None:
    """Stage everything in the worktree and commit as `author`; None when nothing changed."""
    repo = git.Repo(root)
    repo.git.add("-A")
    if not repo.git.diff("--cached", "--name-only"):
        return None
    lines = [f"{key}: {value}" for key, value in (trailers or {}).items()]
    full = message.rstrip() + ("\n\n" + "\n".join(lines) if lines else "") + "\n"
    args = ["git", "-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "-m", full]
    repo.git.execute(args, env=author_env(author))
    return head_sha(repo)


def worktree_tree(root: Path) -> str:
    """The git tree of every file in the worktree at `root` (untracked too, ignored ones not).

    Built in a throwaway index, so the worktree's own index and HEAD stay as they are.
    """
    repo = git.Repo(root)
    with tempfile.TemporaryDirectory() as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        repo.git.execute(["git", "read-tree", "HEAD"], env=env)
        repo.git.execute(["git", "add", "-A"], env=env)
        return str(repo.git.execute(["git", "write-tree"], env=env)).strip()


def restore_worktree(root: Path, tree: str) -> bool:
    """Make the files of the worktree at `root` exactly `tree`; True when something changed."""
    if worktree_tree(root) == tree:
        return False
    repo = git.Repo(root)
    repo.git.read_tree("--reset", "-u", tree)
    repo.git.clean("-fdq")  # files the tree does not hold (ignored files stay)
    repo.git.reset("-q")  # the index back to HEAD; the files stay as `tree` has them
    return True
