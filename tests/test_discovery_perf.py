"""The perf source on real repositories with stored pytest-benchmark and asv results."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.discovery.perf.stats import mann_whitney_greater, t_quantile, welch_interval
from tests.discovery_support import backlog_items, discover
from tests.perf_support import asv_result, pytest_run, rounds, save, save_asv
from tests.support import make_repo

Run = tuple[pytest.CaptureFixture[str], pytest.MonkeyPatch]
BENCH = "tests/bench/test_sort.py::test_sort"
OTHER = "tests/bench/test_sort.py::test_search"
BASE_SHA = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
HEAD_SHA = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
LATER_SHA = "3333333ccccccccccccccccccccccccccccccccc"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return capsys, monkeypatch


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "r", {"app.py": "def sort(xs):\n    return sorted(xs)\n"})


def _base(repo: Path, keep_data: bool = False) -> None:
    benches = {BENCH: rounds(1e-3, 0.02, 40, 1), OTHER: rounds(2e-4, 0.02, 40, 2)}
    save(repo, 1, pytest_run(BASE_SHA, "2026-11-01T10:00:00.000000", benches, keep_data=keep_data))


def _head(repo: Path, number: int, sha: str, sort_mean: float, keep_data: bool = False) -> None:
    benches = {BENCH: rounds(sort_mean, 0.02, 40, number * 10), OTHER: rounds(2e-4, 0.02, 40, 7)}
    when = f"2026-11-0{number}T10:00:00.000000"
    save(repo, number, pytest_run(sha, when, benches, keep_data=keep_data))


def test_regression_becomes_an_item_with_both_figures_and_commits(repo: Path, run: Run) -> None:
    _base(repo)
    _head(repo, 2, HEAD_SHA, 1.3e-3)
    done = discover(*run, str(repo), "--sources", "perf", "--json", "--no-write")
    assert done.code == 0, done.err
    [item] = done.json()
    assert item["id"].startswith("PERF-") and item["type"] == "bug" and item["status"] == "READY"
    assert item["source"] == {
        "kind": "perf",
        "path": "tests/bench/test_sort.py",
        "line": None,
        "fingerprint": item["source"]["fingerprint"],
        "tag": BENCH,
        "text": item["source"]["text"],
    }
    text = item["description"]
    assert "baseline: mean 1 ms, run 0001 at commit 1111111aaaaa" in text
    assert "current: mean 1.3" in text and "run 0002 at commit 2222222bbbbb" in text
    assert "Welch's 99% interval of the change +2" in text  # about +30 %, well above zero
    assert "bench-host (Example CPU @ 3.00GHz, Linux x86_64, CPython 3.11)" in text
    assert item["title"].startswith(f"Performance regression: {BENCH} +3")
    assert (item["business_value"], item["time_criticality"]) == (5, 3)  # perf-medium: +25..100 %


def test_per_round_data_is_judged_by_ranks(repo: Path, run: Run) -> None:
    _base(repo, keep_data=True)
    _head(repo, 2, HEAD_SHA, 1.3e-3, keep_data=True)
    [item] = discover(*run, str(repo), "--sources", "perf", "--json", "--no-write").json()
    assert "one-sided Mann-Whitney U test on 40 and 40 rounds: p = " in item["description"]


def test_a_slowdown_within_noise_files_nothing(repo: Path, run: Run) -> None:
    noisy = {BENCH: rounds(1e-3, 0.6, 6, 3)}
    save(repo, 1, pytest_run(BASE_SHA, "2026-11-01T10:00:00", noisy))
    save(repo, 2, pytest_run(HEAD_SHA, "2026-11-02T10:00:00", {BENCH: rounds(1.25e-3, 0.6, 6, 4)}))
    done = discover(*run, str(repo), "--sources", "perf")
    assert done.code == 0, done.err
    assert "perf: result files 2, machines 1, benchmarks compared 1, regressions 0" in done.out
    assert "slower within noise 1" in done.out
    assert "0 new, 0 updated" in done.out


def test_a_missing_baseline_files_nothing_and_says_so(repo: Path, run: Run) -> None:
    _head(repo, 2, HEAD_SHA, 1.3e-3)
    done = discover(*run, str(repo), "--sources", "perf", "--json", "--no-write")
    assert done.code == 0 and done.json() == []
    assert "warning: perf: no baseline for bench-host" in done.err
    assert "(one run: .benchmarks/Linux-CPython-3.11-64bit/0002_2222222_20261102_100000.json)" in (
        done.err
    )


def test_results_of_another_machine_are_not_compared(repo: Path, run: Run) -> None:
    _base(repo)
    slow = {BENCH: rounds(5e-3, 0.02, 40, 9)}
    save(repo, 2, pytest_run(HEAD_SHA, "2026-11-02T10:00:00", slow, node="laptop"))
    done = discover(*run, str(repo), "--sources", "perf", "--json", "--no-write")
    assert done.code == 0 and done.json() == []
    assert done.err.count("no baseline for") == 2  # each machine has one run


def test_a_malformed_file_is_a_warning_and_other_sources_still_run(repo: Path, run: Run) -> None:
    (repo / "todo.py").write_text("x = 1  # TODO: tidy this\n")
    _base(repo)
    bad = repo / ".benchmarks" / "Linux-CPython-3.11-64bit" / "0002_2222222_bad.json"
    bad.write_text('{"machine_info": {}, "benchmarks": [{"name": "x"}]}')
    broken = bad.with_name("0003_3333333_broken.json")
    broken.write_text("{not json")
    done = discover(*run, str(repo), "--sources", "comments,perf", "--json", "--no-write")
    assert done.code == 0, done.err
    assert [item["source"]["kind"] for item in done.json()] == ["comments"]
    rel = ".benchmarks/Linux-CPython-3.11-64bit/"
    field = "field benchmarks.0.stats: Field required"
    assert f"warning: perf: skipped {rel}0002_2222222_bad.json: {field}" in done.err
    assert f"warning: perf: skipped {rel}0003_3333333_broken.json: not valid JSON" in done.err


def test_a_later_result_back_within_the_threshold_resolves_the_item(repo: Path, run: Run) -> None:
    _base(repo)
    _head(repo, 2, HEAD_SHA, 1.3e-3)
    assert discover(*run, str(repo), "--sources", "perf").code == 0
    [item_id] = backlog_items(repo)
    _head(repo, 3, LATER_SHA, 1.02e-3)
    done = discover(*run, str(repo), "--sources", "perf")
    assert done.code == 0 and "1 resolved" in done.out
    item = backlog_items(repo)[item_id]
    assert item["status"] == "DONE"
    assert item["description"].endswith(
        "back within the threshold of its baseline in the newest benchmark results"
    )


def test_a_malformed_newest_file_resolves_nothing(repo: Path, run: Run) -> None:
    _base(repo)
    _head(repo, 2, HEAD_SHA, 1.3e-3)
    assert discover(*run, str(repo), "--sources", "perf").code == 0
    [item_id] = backlog_items(repo)
    newest = repo / ".benchmarks" / "Linux-CPython-3.11-64bit" / "0003_3333333_x.json"
    newest.write_text("[]")
    assert discover(*run, str(repo), "--sources", "perf").code == 0
    assert backlog_items(repo)[item_id]["status"] == "READY"


def test_threshold_and_named_files_come_from_settings(repo: Path, run: Run) -> None:
    (repo / ".agent.toml").write_text(
        '[discovery.perf]\nthreshold = 0.5\nfiles = ["bench/*.json"]\nbenchmark_dir = "none"\n'
    )
    import json

    (repo / "bench").mkdir()
    base = pytest_run(BASE_SHA, "2026-11-01T10:00:00", {BENCH: rounds(1e-3, 0.02, 40, 1)})
    head = pytest_run(HEAD_SHA, "2026-11-02T10:00:00", {BENCH: rounds(1.3e-3, 0.02, 40, 2)})
    (repo / "bench" / "a.json").write_text(json.dumps(base))
    (repo / "bench" / "b.json").write_text(json.dumps(head))
    done = discover(*run, str(repo), "--sources", "perf", "--json", "--no-write")
    assert done.code == 0 and done.json() == []  # +30 % is below a 50 % threshold
    (repo / "bench" / "b.json").write_text(
        json.dumps(
            pytest_run(HEAD_SHA, "2026-11-02T10:00:00", {BENCH: rounds(2.5e-3, 0.02, 40, 2)})
        )
    )
    [item] = discover(*run, str(repo), "--sources", "perf", "--json", "--no-write").json()
    assert "run b at commit 2222222bbbbb (bench/b.json)" in item["description"]
    assert item["business_value"] == 8  # perf-high: at least twice as slow


def test_asv_results_with_apart_intervals_are_a_regression(repo: Path, run: Run) -> None:
    name = "bench.TimeSort.time_sort"
    params = [["100", "10000"]]
    old = {name: [[1e-3, 5e-2], params, "v1", [0.98e-3, 4.9e-2], [1.02e-3, 5.1e-2]]}
    new = {name: [[1.01e-3, 8e-2], params, "v1", [0.99e-3, 7.9e-2], [1.03e-3, 8.1e-2]]}
    save_asv(repo, asv_result(BASE_SHA, 1_700_000_000_000, old))
    save_asv(repo, asv_result(HEAD_SHA, 1_700_000_100_000, new))
    done = discover(*run, str(repo), "--sources", "perf", "--json", "--no-write")
    assert done.code == 0, done.err
    [item] = done.json()
    assert item["source"]["tag"] == "bench.TimeSort.time_sort(10000)"
    assert "lab-box (asv environment virtualenv-py3.11)" in item["description"]
    assert (
        "asv's 99% intervals [49 ms, 51 ms] and [79 ms, 81 ms] do not overlap"
        in (item["description"])
    )
    assert "run 1111111a at commit 1111111aaaaa" in item["description"]


def test_statistics_match_reference_values() -> None:
    assert t_quantile(0.995, 1) == pytest.approx(63.657, abs=1e-3)
    assert t_quantile(0.975, 10) == pytest.approx(2.228, abs=1e-3)
    assert t_quantile(0.995, 30) == pytest.approx(2.750, abs=1e-3)
    low, high = welch_interval((1.0, 0.1, 50), (1.2, 0.1, 50), 0.99) or (0.0, 0.0)
    assert (low, high) == pytest.approx((0.1475, 0.2525), abs=1e-3)
    assert welch_interval((1.0, 0.1, 1), (1.2, 0.1, 50), 0.99) is None
    assert mann_whitney_greater([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]) < 0.005
    assert mann_whitney_greater([1, 2, 3], [1, 2, 3]) > 0.4
