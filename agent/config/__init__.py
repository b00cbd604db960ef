"""Configuration: settings layers (defaults, pyproject, .agent.toml, AGENT_*) and sections."""
