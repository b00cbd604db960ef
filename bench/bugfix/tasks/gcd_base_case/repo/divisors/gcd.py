def gcd(a, b):
    """Return the greatest common divisor of two non-negative integers."""
    if b == 0:
        return b
    return gcd(b, a % b)
