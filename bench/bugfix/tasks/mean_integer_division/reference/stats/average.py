def mean(values):
    """Return the arithmetic mean of a non-empty list of numbers."""
    return sum(values) / len(values)


def total(values):
    """Return the sum of the values."""
    return sum(values)
