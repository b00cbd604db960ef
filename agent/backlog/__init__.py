"""The backlog: backlog.yml (model, validation, round-trip I/O), WSJF scoring and run records."""
