from counting.words import count_words, distinct_words


def test_count_words():
    assert count_words("a b a") == {"a": 2, "b": 1}


def test_distinct_words():
    assert distinct_words("b a b") == ["a", "b"]
