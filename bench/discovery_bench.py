"""Benchmark `agent discover --sources comments` against git grep, leasot and pylint (not a test).

    python bench/discovery_bench.py [--work /tmp/bench-work] [--runs 5] [--no-pylint]

Fetches the sdists of mypy and numpy with `pip download --no-binary :all: --no-deps` into
/tmp/bench-src (reused when present), unpacks them into one repository, `git init`s and commits
it, then times whole processes (best of --runs):

- agent cold: no `.agent/cache`; agent rescan: after one file changed;
- `git grep -nwE 'TODO|FIXME|HACK|XXX|BUG'`, the floor (reads every file, decides nothing);
- `npx --yes leasot` (tags TODO, FIXME plus HACK, XXX, BUG), and
  `pylint --disable=all --enable=fixme` from a throwaway venv under /tmp (Python files only).

It prints the figures and the difference classes on Python files (docs/discovery.md explains them).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import shutil
import sys
import tarfile
import tempfile
import time
import tokenize
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TMP = Path(tempfile.gettempdir())
sys.path.insert(0, str(ROOT))

from agent.system import proc  # noqa: E402

SDISTS = ("mypy==2.4.1", "numpy==2.4.6")
TAGS = ("TODO", "FIXME", "HACK", "XXX", "BUG")
NOW = "2026-11-21T00:00:00Z"
AGENT = [sys.executable, "-m", "agent", "discover", "--sources", "comments", "--no-write"]


def sh(
    args: list[str], cwd: Path, timeout: float = 900, env: dict[str, str] | None = None
) -> proc.ProcResult:
    """Run a command; fail loudly when it fails."""
    result = proc.run(args, cwd=cwd, timeout=timeout, env=env)
    if not result.ok and result.returncode not in (0, 1):
        raise SystemExit(
            f"{' '.join(args[:4])}… failed ({result.returncode}): {result.stderr[-800:]}"
        )
    return result


def fetch(src: Path, download: bool = True) -> list[Path]:
    """Download the sdists once (pip needs build tools on PATH for numpy's metadata step)."""
    src.mkdir(parents=True, exist_ok=True)
    found = sorted(src.glob("*.tar.gz"))
    if len(found) < len(SDISTS) and download:
        args = [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps"]
        sh([*args, "--no-build-isolation", *SDISTS, "-d", str(src)], cwd=src, timeout=3600)
        found = sorted(src.glob("*.tar.gz"))
    return found


def make_repo(sdists: list[Path], work: Path) -> Path:
    """Unpack the sdists side by side into one fresh git repository."""
    repo = work / "repo"
    if (repo / ".git").is_dir():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    for sdist in sdists:
        with tarfile.open(sdist) as archive:
            archive.extractall(repo, filter="data")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.invalid"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "sources"]):
        sh(["git", *args], cwd=repo, env=env)
    return repo


CPU: dict[str, float] = {}


def best(runs: int, step: callable) -> tuple[float, proc.ProcResult]:  # type: ignore[valid-type]
    """Best wall time of `runs` calls of `step` (which returns a ProcResult); CPU["last"] holds
    the CPU seconds (user + system, children) of that fastest call."""
    timed = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = step()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        timed.append((result.duration_s, cpu, result))
    wall, cpu, fastest = min(timed, key=lambda t: t[0])
    CPU["last"] = cpu
    return wall, fastest


def time_agent(repo: Path, runs: int) -> dict[str, object]:
    """Cold (no cache) and rescan-after-one-change timings, and the items found."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    sh([sys.executable, "-m", "compileall", "-q", str(ROOT / "agent")], cwd=ROOT)
    args = [*AGENT, "--json", "--now", NOW]

    def cold() -> proc.ProcResult:
        shutil.rmtree(repo / ".agent", ignore_errors=True)
        return sh(args, cwd=repo, env=env)

    cold_s, result = best(runs, cold)
    cold_cpu = CPU["last"]
    items = json.loads(result.stdout)
    changed = repo / "mypy-2.4.1" / "mypy" / "nodes.py"
    original = changed.read_bytes()

    def rescan() -> proc.ProcResult:
        changed.write_bytes(original + f"# TODO: bench {time.monotonic_ns()}\n".encode())
        return sh(args, cwd=repo, env=env)

    sh(args, cwd=repo, env=env)  # warm the cache
    rescan_s, _ = best(runs, rescan)
    rescan_cpu = CPU["last"]
    changed.write_bytes(original)
    sh(args, cwd=repo, env=env)
    return {
        "cold_s": cold_s,
        "cold_cpu": cold_cpu,
        "rescan_s": rescan_s,
        "rescan_cpu": rescan_cpu,
        "items": items,
    }


def time_grep(repo: Path, runs: int) -> tuple[float, int]:
    """The floor: git grep for the words, no decisions."""
    args = ["git", "grep", "-nwE", "|".join(TAGS)]
    seconds, result = best(runs, lambda: sh(args, cwd=repo))
    return seconds, len(result.stdout.splitlines())


def time_leasot(repo: Path, runs: int) -> tuple[float, list[dict[str, object]]]:
    """leasot over every file it supports (first call installs it, untimed)."""
    args = ["npx", "--yes", "leasot", "-S", "-x", "-r", "json"]
    args += ["-T", ",".join(TAGS[2:]), "-i", "'**/node_modules/**'", "'**/*'"]
    out = repo.parent / "leasot.json"
    # node cuts piped output at 64 KiB when it exits; a file redirect gets all of it
    command = ["sh", "-c", " ".join(args) + f" > {out}"]
    sh(command, cwd=repo)
    seconds, _result = best(runs, lambda: sh(command, cwd=repo))
    return seconds, json.loads(out.read_text(encoding="utf-8") or "[]")


def time_pylint(repo: Path) -> tuple[float, list[tuple[str, int]]]:
    """pylint's fixme check on the Python files, from a throwaway venv (one run: it is slow)."""
    venv = TMP / "pylint-venv"
    if not (venv / "bin" / "pylint").exists():
        sh(["uv", "venv", "-q", str(venv), "--python", "3.11"], cwd=repo)
        sh(
            ["uv", "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "pylint"],
            cwd=repo,
        )
    files = [p for p in sh(["git", "ls-files", "*.py", "*.pyi"], cwd=repo).stdout.split()]
    args = [str(venv / "bin" / "pylint"), "--disable=all", "--enable=fixme", "--score=n"]
    args += ["--notes=" + ",".join(TAGS), "--output-format=parseable", "--jobs=1"]
    started = time.monotonic()
    hits = []
    for chunk in range(0, len(files), 400):
        done = proc.run([*args, *files[chunk : chunk + 400]], cwd=repo, timeout=1800)
        if done.returncode >= 32 or done.missing:  # bit flags; 1 fatal (an unloadable file)
            raise SystemExit(f"pylint failed ({done.returncode}): {done.stderr[-800:]}")
        found = re.finditer(r"^(\.?/?)([^:\n]+):(\d+): \[W0511", done.stdout, re.M)
        hits += [(m[2], int(m[3])) for m in found if (repo / m[2]).is_file()]  # not stdlib paths
    (repo.parent / "pylint-hits.json").write_text(json.dumps(hits), encoding="utf-8")
    return time.monotonic() - started, hits


def classify(repo: Path, path: str, line: int) -> str:
    """Say why a Python line is a difference: string, prose, case, trailing, unparsable, other."""
    if path.endswith(".pyi"):
        return "stub file (.pyi)"
    text = (repo / path).read_text(encoding="utf-8", errors="replace")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return "unparsable file"
    for tok in tokens:
        if tok.type == tokenize.COMMENT and tok.start[0] == line:
            return _comment_class(tok)
    for tok in tokens:
        if tok.type == tokenize.STRING and tok.start[0] <= line <= tok.end[0]:
            return "string or docstring"
    return "not a comment (code or identifier)"


def _comment_class(tok: tokenize.TokenInfo) -> str:
    words = re.compile(r"(?i)\b(" + "|".join(TAGS) + r")\b")
    body = tok.string.lstrip("#!: \t@")
    first = words.match(body)
    if first is None:
        return "prose (tag not the first word)" if words.search(body) else "continuation line"
    tag = first.group(1)
    if not tag.isupper() and body[len(tag) : len(tag) + 1] not in (":", "("):
        return "case (lower case without : or ()"
    if tok.line[: tok.start[1]].strip():
        return "trailing comment"
    return f"{'upper' if tag.isupper() else 'mixed'}-case {tag.upper()} own-line comment"


def differences(
    repo: Path, ours: set[tuple[str, int]], theirs: set[tuple[str, int]]
) -> dict[str, dict[str, list[str]]]:
    """Classify the Python lines one side reports and the other does not (with examples)."""
    classes: dict[str, dict[str, list[str]]] = {"only theirs": {}, "only agent": {}}
    for side, lines in (("only theirs", theirs - ours), ("only agent", ours - theirs)):
        for path, line in sorted(lines):
            if path.endswith((".py", ".pyi")):
                where = f"{path}:{line}"
                classes[side].setdefault(classify(repo, path, line), []).append(where)
    return classes


def by_extension(lines: set[tuple[str, int]]) -> Counter[str]:
    """Count reported lines by file extension."""
    return Counter(Path(path).suffix or Path(path).name for path, _line in lines)


def report(name: str, repo: Path, ours: set[tuple[str, int]], theirs: set[tuple[str, int]]) -> None:
    """Print totals by extension and the Python difference classes, two examples each."""
    print(f"  by extension, agent:  {dict(by_extension(ours).most_common())}")
    print(f"  by extension, {name}: {dict(by_extension(theirs).most_common())}")
    for side, classes in differences(repo, ours, theirs).items():
        for what, where in sorted(classes.items(), key=lambda kv: -len(kv[1])):
            print(f"  Python, {side} ({name}): {len(where):4d} {what}  e.g. {', '.join(where[:2])}")


def figures(wall: object, cpu: object) -> str:
    """Format wall and CPU seconds."""
    return f"{float(wall):.3f} s wall, {float(cpu):.3f} s CPU"  # type: ignore[arg-type]


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=TMP / "bench-src")
    parser.add_argument("--work", type=Path, default=TMP / "bench-work")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pylint", action="store_true")
    parser.add_argument("--no-leasot", action="store_true")
    parser.add_argument("--no-download", action="store_true", help="use the sdists in --src")
    options = parser.parse_args()
    repo = make_repo(fetch(options.src, not options.no_download), options.work)
    files = [f for f in sh(["git", "ls-files", "-z"], cwd=repo).stdout.split("\0") if f]
    size = sum((repo / f).lstat().st_size for f in files if (repo / f).is_file())
    load = os.getloadavg()[0]
    print(f"repository: {repo} ({len(files)} files, {size / 1e6:.1f} MB); load {load:.1f}")
    for floor in (["-c", "pass"], ["-S", "-c", "pass"]):
        seconds, _ = best(options.runs, lambda args=floor: sh([sys.executable, *args], cwd=repo))
        print(
            f"python {' '.join(floor):12s} {figures(seconds, CPU['last'])}  (interpreter start-up)"
        )
    agent = time_agent(repo, options.runs)
    items = agent["items"]
    ours = {(i["source"]["path"], i["source"]["line"]) for i in items}  # type: ignore[index, union-attr]
    print(f"agent cold   {figures(agent['cold_s'], agent['cold_cpu'])}  {len(ours)} items")
    print(f"agent rescan {figures(agent['rescan_s'], agent['rescan_cpu'])}  (one file changed)")
    grep_s, grep_n = time_grep(repo, options.runs)
    print(f"git grep     {figures(grep_s, CPU['last'])}  {grep_n} lines (words anywhere)")
    if not options.no_leasot:
        leasot_s, leasot = time_leasot(repo, options.runs)
        theirs = {(str(i["file"]), int(i["line"])) for i in leasot}  # type: ignore[call-overload]
        print(f"leasot       {figures(leasot_s, CPU['last'])}  {len(theirs)} items")
        report("leasot", repo, ours, theirs)
    if not options.no_pylint:
        pylint_s, hits = time_pylint(repo)
        print(f"pylint fixme {pylint_s:.3f} s  {len(set(hits))} items (Python files only)")
        report("pylint", repo, ours, set(hits))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
