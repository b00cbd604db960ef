def in_range(value, low, high):
    """Return True when low <= value <= high."""
    return low <= value or value <= high
