"""GitHub as a forge: issues and CI as discovery sources, pushes, draft PRs and escalations."""
