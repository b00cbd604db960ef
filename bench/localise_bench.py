"""Benchmark the ast index, localisation and the repository map on two repositories.

Usage: .venv/bin/python bench/localise_bench.py [--rounds N] [--django PATH.tar.gz] [--json]

(a) the generated repository of the localisation tests (300 decoy modules, the bug two calls from
the test; tests/localise_support.py), with its real pytest failure;
(b) a large real repository when an sdist is given, e.g. Django's (download it first with
`.venv/bin/python -m pip download --no-deps --no-binary :all: 'django==5.2.*' -d /tmp/dj`),
with a failure whose traceback names a real function of it. Skipped without `--django`.

Measures (median of N rounds, wall and CPU milliseconds; CPU is the steadier figure on a shared
machine): the index built cold (parse cache cleared), warm
(every file unchanged: git ls-files and a stat per file), `localise` on a built index, and
`repo_map` at a 2,000-token budget. Prints the rank of the expected file as a sanity check.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/ holds the generator

from agent.localise import Localisation, build_index, localise, repo_map
from agent.localise.index import _parse_cached
from tests.localise_support import bug_repo, run_pytest
from tests.support import git

MAP_BUDGET = 2000


def timed(
    function: Callable[[], object], rounds: int, before: Callable[[], object] | None = None
) -> dict[str, float]:
    """Median wall and CPU milliseconds of `function` over `rounds` runs (`before` untimed)."""
    wall, cpu = [], []
    for _ in range(rounds):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "wall_ms": round(statistics.median(wall), 1),
        "cpu_ms": round(statistics.median(cpu), 1),
    }


def measure(
    repo: Path, failure: str, test: tuple[str, str], expected: str, rounds: int
) -> dict[str, object]:
    """Index (cold, warm), localise and repo_map timings on `repo`, and the expected file's rank."""
    cold = timed(lambda: build_index(repo), rounds, _parse_cached.cache_clear)
    warm = timed(lambda: build_index(repo), rounds)
    index = build_index(repo)

    def run() -> Localisation:
        return localise(
            repo, failure=failure, test_file=test[0], test_function=test[1], index=index
        )

    found = run()
    local = timed(run, rounds)
    mapped = timed(lambda: repo_map(repo, found, MAP_BUDGET, index=index), rounds)
    rank = found.paths.index(expected) + 1 if expected in found.paths else None
    return {
        "python_files": len(index.modules) + len(index.skipped),
        "skipped": len(index.skipped),
        "definitions": sum(len(m.parsed.definitions) for m in index.modules.values()),
        "index_cold": cold,
        "index_warm": warm,
        "localise": local,
        "repo_map": mapped,
        "expected_rank": rank,
    }


def generated(workdir: Path, rounds: int) -> dict[str, object]:
    """Case (a): the 300-module generated repository and its real failure."""
    repo = bug_repo(workdir / "generated", modules=300)
    failure = run_pytest(repo, "tests/test_api.py::test_handle")
    return measure(repo, failure, ("tests/test_api.py", "test_handle"), "pkg/core.py", rounds)


DJANGO_FAILURE = """\
{test}:{test_line}: in test_slugify
    self.assertEqual(text.slugify(value, allow_unicode=is_unicode), output)
django/utils/functional.py:{lazy_line}: in wrapper
    return func(*args, **kwargs)
django/utils/text.py:{line}: in slugify
    value = re.sub(r"[^\\w\\s-]", "", value.lower())
E   AssertionError: 'helloworld' != 'hello-world'
"""
DJANGO_TEST = "tests/utils_tests/test_text.py"


def django(sdist: Path, workdir: Path, rounds: int) -> dict[str, object]:
    """Case (b): Django's sdist unpacked into a fresh git repository, a slugify failure."""
    with tarfile.open(sdist) as archive:
        archive.extractall(workdir / "dj", filter="data")
    repo = next((workdir / "dj").iterdir())
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "sdist")
    failure = DJANGO_FAILURE.format(
        test=DJANGO_TEST,
        test_line=_line_of(repo / DJANGO_TEST, "text.slugify(value"),
        lazy_line=_line_of(repo / "django/utils/functional.py", "return func(*args, **kwargs)"),
        line=_line_of(repo / "django/utils/text.py", 'value = re.sub(r"[^\\w\\s-]"'),
    )
    test = (DJANGO_TEST, "TestUtilsText.test_slugify")
    return measure(repo, failure, test, "django/utils/text.py", rounds)


def _line_of(path: Path, needle: str) -> int:
    """The first line of `path` that holds `needle` (the sdist's real line numbers)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def main() -> None:
    """Run the cases and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--django", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = {"generated_300": generated(Path(tmp), args.rounds)}
        if args.django is not None and args.django.is_file():
            figures["django"] = django(args.django, Path(tmp), args.rounds)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for case, values in figures.items():
        print(case)
        for key, value in values.items():
            print(f"  {key:>16}: {value}")


if __name__ == "__main__":
    main()
