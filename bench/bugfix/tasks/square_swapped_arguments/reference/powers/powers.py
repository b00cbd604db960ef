def power(base, exponent):
    """Return base raised to exponent."""
    return base**exponent


def square(x):
    """Return x squared."""
    return power(x, 2)


def cube(x):
    """Return x cubed."""
    return power(x, 3)
