"""Number helpers."""


def is_even(number: int) -> bool:
    """Return True when `number` is divisible by two."""
    return number % 2 == 0
