from textcheck.palindrome import is_palindrome


def test_simple_palindrome():
    assert is_palindrome("Level")


def test_not_palindrome():
    assert not is_palindrome("python")


def test_palindrome_with_spaces():
    assert is_palindrome("Never odd or even")
