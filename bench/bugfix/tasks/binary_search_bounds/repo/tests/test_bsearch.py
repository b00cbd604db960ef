from searching.bsearch import index_of


def test_finds_middle():
    assert index_of([1, 3, 5, 7, 9], 5) == 2


def test_missing_value():
    assert index_of([1, 3, 5], 4) == -1


def test_finds_last():
    assert index_of([1, 3, 5, 7], 7) == 3
