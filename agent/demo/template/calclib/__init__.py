"""calclib: a tiny library of number and text helpers (the agent demo repository)."""
