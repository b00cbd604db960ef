"""Status reports: figures measured in this run, rendered as markdown, JSON and HTML."""
