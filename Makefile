# One entry point for developers and CI (.ci/run runs `make test`).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup node demo test test-fast lint typecheck pytest bench bench-bugfix bench-realrepo realrepo-tasks bench-overhead cassettes docs schema clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip >/dev/null
	$(BIN)/python -m pip install -q --upgrade uv
	$(BIN)/python -m uv pip install -q --compile-bytecode --python $(BIN)/python -e ".[dev]"
	touch $(STAMP)

## node: GitHub's OpenAPI description and the prism mock server for the forge tests (.ci/node)
NODE_DIR := .ci/node
PRISM := $(NODE_DIR)/node_modules/.bin/prism
NPM_PACKAGES := @octokit/openapi@23.0.2 @stoplight/prism-cli@5.14.2
node:
	@if [ -x $(PRISM) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(NODE_DIR) && npm install --prefix $(NODE_DIR) --no-audit --no-fund -q $(NPM_PACKAGES); \
	elif [ -n "$$CI" ]; then echo "error: npm is needed for the forge tests" >&2; exit 1; \
	else echo "warning: npm not found: the forge tests will be skipped" >&2; fi

## demo: set up the bundled local model and let the agent work the shipped demo repository
demo: setup
	$(BIN)/agent model setup
	$(BIN)/agent demo

## test: lint, type-check and run the whole suite offline (what .ci/run runs)
test: setup lint typecheck pytest

## test-fast: the edit loop: ruff and the tests not marked slow (a few minutes; `make test` runs all)
test-fast: setup lint
	$(BIN)/pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

pytest: setup node
	$(BIN)/pytest -q

## bench: benchmarks (not part of the test suite); figures go in docs/benchmarks.md
bench: setup
	$(BIN)/python bench/backlog_bench.py
	$(BIN)/python bench/tools_bench.py
	PYTHONPATH=. $(BIN)/python bench/report_dora.py 200
	$(BIN)/python bench/localise_bench.py

BENCH_AGENTS ?= ours,aider,mini
## bench-bugfix: bug-fix benchmark (ours vs aider vs mini-swe-agent) on the bundled model; docs/benchmarks.md
bench-bugfix: setup
	sh bench/bugfix/install_peers.sh
	$(BIN)/python bench/bugfix/check_tasks.py
	$(BIN)/python bench/bugfix/run.py --agents $(BENCH_AGENTS) --timeout 600
	$(BIN)/python bench/bugfix/report.py

## realrepo-tasks: download, assemble and verify the real-repository bug-fix tasks (two sdists per
## task from the package registry, into ~/.cache/agent-bench/realrepo); docs/benchmarks.md
realrepo-tasks: setup
	$(BIN)/python bench/bugfix/realrepo.py

## bench-realrepo: the agents on the real-repository set, dev and held-out parts reported apart
bench-realrepo: realrepo-tasks
	sh bench/bugfix/install_peers.sh
	$(BIN)/python bench/bugfix/run.py --set realrepo-dev --agents $(BENCH_AGENTS) --timeout 600
	$(BIN)/python bench/bugfix/run.py --set realrepo-heldout --agents $(BENCH_AGENTS) --timeout 600
	$(BIN)/python bench/bugfix/report.py --set all

## bench-overhead: wall time of a replayed `agent run` split into model, tests, git, scanners and
## our own code (about 3 minutes; not in `bench`); docs/benchmarks.md
bench-overhead: setup
	$(BIN)/python bench/overhead.py --runs 5 --profile

## schema: regenerate docs/report-schema.json from the report models
schema: setup
	$(BIN)/python -m agent.report.schema

## cassettes: re-record HTTP cassettes from the bundled local model (docs/testing.md); TESTS=... picks tests
cassettes: setup
	$(BIN)/python scripts/record_cassettes.py $(TESTS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

## docs: regenerate generated documentation (graph diagrams)
docs: setup
	$(BIN)/python scripts/draw_graph.py
