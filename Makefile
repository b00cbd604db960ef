PYTHON ?= .venv/bin/python

.PHONY: cassettes
# Re-record HTTP cassettes from the bundled local model (docs/testing.md). TESTS=... picks tests.
cassettes:
	$(PYTHON) scripts/record_cassettes.py $(TESTS)
