"""Discovery: find the real work in a repository and merge it into backlog.yml."""
