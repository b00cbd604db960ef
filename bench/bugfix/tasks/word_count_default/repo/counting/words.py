def count_words(text):
    """Return a dict mapping each word of text to how often it occurs."""
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 1) + 1
    return counts


def distinct_words(text):
    """Return the sorted list of distinct words."""
    return sorted(set(text.split()))
