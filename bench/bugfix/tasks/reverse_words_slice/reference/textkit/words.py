def reverse_words(sentence):
    """Return the words of the sentence in reverse order, separated by one space."""
    return " ".join(sentence.split()[::-1])


def word_count(sentence):
    """Return the number of words in the sentence."""
    return len(sentence.split())
