"""The perf source: benchmark regressions found in stored pytest-benchmark and asv results."""
