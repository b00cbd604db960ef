"""backlog.yml: the data model, validation with precise errors, and round-trip I/O."""
