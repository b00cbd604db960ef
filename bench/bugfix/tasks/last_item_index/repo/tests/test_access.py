from listkit.access import first, last


def test_first():
    assert first([4, 5, 6]) == 4


def test_last():
    assert last([4, 5, 6]) == 6
