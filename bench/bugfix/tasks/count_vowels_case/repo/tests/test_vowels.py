from letters.vowels import count_vowels


def test_lowercase():
    assert count_vowels("banana") == 3


def test_no_vowels():
    assert count_vowels("rhythm") == 0


def test_uppercase_vowels():
    assert count_vowels("AEIOU and") == 6
