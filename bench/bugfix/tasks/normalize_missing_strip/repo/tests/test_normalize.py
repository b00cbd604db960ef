from cleaning.normalize import is_blank, normalize


def test_normalize_strips_and_lowers():
    assert normalize("  Hello World \n") == "hello world"


def test_is_blank():
    assert is_blank(" \t ")
    assert not is_blank(" x ")
