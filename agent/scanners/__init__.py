"""Scanners: ruff and bandit findings, secrets found and redacted, and secrets put back."""
