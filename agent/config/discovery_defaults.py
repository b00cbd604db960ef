"""Discovery defaults as plain data, shared by the settings model and the lean path (fast.py).

No pydantic here: `agent discover --sources comments --no-write --json` with default settings
runs without importing it (docs/discovery.md, Speed).
"""

from __future__ import annotations

ALL_SOURCES = ("comments", "tests", "lint", "security", "backlog")
FORGE_SOURCES = ("issues", "ci")  # opt-in: they need a configured forge (docs/forge.md)
OPT_IN_SOURCES = ("perf",)  # opt-in: reads stored benchmark results (docs/discovery.md)
KNOWN_SOURCES = (*ALL_SOURCES, *FORGE_SOURCES, *OPT_IN_SOURCES)
DEFAULT_EXCLUDES = (
    "**/vendor/**",
    "**/vendored/**",
    "**/third_party/**",
    "**/node_modules/**",
    "**/*.min.js",
    "**/*.min.css",
    "**/*_pb2.py",
    "**/*_pb2_grpc.py",
    "**/*.lock",
    "**/package-lock.json",
    "backlog.yml",
)
MAX_FILE_BYTES = 1_048_576
GREP_MIN_FILES = 20_000
PYTHON_TOKENIZE = "auto"
TODO_TYPE = "debt"
COMMENT_STATUS = "NEW"
BACKLOG_PATH = "backlog.yml"
# (business_value, time_criticality, risk_reduction, effort) by tag or source
SCORE_DEFAULTS: dict[str, tuple[int, int, int, int]] = {
    "BUG": (5, 3, 5, 3),
    "FIXME": (3, 2, 3, 2),
    "TODO": (2, 1, 1, 2),
    "HACK": (1, 1, 2, 3),
    "XXX": (2, 1, 2, 2),
    "tests": (8, 5, 5, 2),
    "lint": (1, 1, 2, 1),
    "security": (5, 5, 13, 2),
    "ci": (8, 8, 5, 3),
    "perf-low": (3, 2, 2, 3),
    "perf-medium": (5, 3, 3, 3),
    "perf-high": (8, 5, 5, 3),
}
# perf: the score key of a slowdown below each relative limit (docs/discovery.md)
PERF_BANDS = (("perf-low", 0.25), ("perf-medium", 1.0), ("perf-high", float("inf")))
# bandit: severity gives (time criticality, risk reduction), confidence gives (business value,
# effort: a finding bandit is unsure of needs a look before a fix). docs/discovery.md has the table.
BANDIT_SEVERITY = {"HIGH": (5, 13), "MEDIUM": (3, 8), "LOW": (1, 2)}
BANDIT_CONFIDENCE = {"HIGH": (5, 2), "MEDIUM": (3, 3), "LOW": (1, 5)}
SCORE_DEFAULTS.update(
    {
        f"bandit-{severity.lower()}-{confidence.lower()}": (value, critical, risk, effort)
        for severity, (critical, risk) in BANDIT_SEVERITY.items()
        for confidence, (value, effort) in BANDIT_CONFIDENCE.items()
    }
)
