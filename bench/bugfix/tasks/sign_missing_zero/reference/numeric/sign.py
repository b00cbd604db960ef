def sign(x):
    """Return 1 for positive x, -1 for negative x and 0 for zero."""
    if x == 0:
        return 0
    return 1 if x > 0 else -1
