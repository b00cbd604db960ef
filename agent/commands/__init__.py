"""Command implementations, imported lazily by agent.cli."""
