"""The model layer: one client behind a Protocol, action modes, token accounting, caps, the local model."""
