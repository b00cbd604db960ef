"""Git and the item workspace: the helpers over gitpython and one worktree per item."""
