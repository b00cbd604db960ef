def count_vowels(text):
    """Return how many vowels (a, e, i, o, u, in either case) the text has."""
    return sum(1 for char in text if char in "aeiou")
