def add(a, b):
    """Return a plus b."""
    return a + b


def difference(a, b):
    """Return a minus b."""
    return a - b


def product(a, b):
    """Return a times b."""
    return a * b
