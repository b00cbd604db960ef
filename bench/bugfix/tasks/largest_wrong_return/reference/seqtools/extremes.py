def largest(values):
    """Return the largest value of a non-empty list."""
    best = values[0]
    for value in values:
        if value > best:
            best = value
    return best


def smallest(values):
    """Return the smallest value of a non-empty list."""
    best = values[0]
    for value in values:
        if value < best:
            best = value
    return best
