"""agent: a backlog-driven autonomous coding assistant for Python repositories."""

__version__ = "0.1.0"
