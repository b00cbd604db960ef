def in_range(value, low, high):
    """Return True when low <= value <= high."""
    return low <= value and value <= high
