def total_upto(n):
    """Return 1 + 2 + ... + n."""
    return sum(range(n))


def total_even_upto(n):
    """Return the sum of the even numbers from 0 to n inclusive."""
    return sum(range(0, n + 1, 2))
