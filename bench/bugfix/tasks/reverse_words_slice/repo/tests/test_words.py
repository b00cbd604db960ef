from textkit.words import reverse_words, word_count


def test_reverse_words():
    assert reverse_words("one two three") == "three two one"


def test_word_count():
    assert word_count("a b  c") == 3


def test_word_count_empty():
    assert word_count("") == 0
