"""The model layer: a client behind a Protocol, action modes, token accounting, caps."""
