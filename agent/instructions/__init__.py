"""The repository's own instructions (AGENTS.md, CLAUDE.md, copilot-instructions, CONTRIBUTING).

`files` finds and reads them (size-capped, redacted), `select` picks the ones relevant to an
item and fits them into a token budget for the prompts, `hints` takes the test and lint commands
they name where that is unambiguous (configuration still wins), `summary` says what applies.
"""
