"""Tools the model may use on a repository: one module per concern, one explicit registry."""
