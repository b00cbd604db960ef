"""The operating system seam: starting processes and writing files atomically under locks."""
