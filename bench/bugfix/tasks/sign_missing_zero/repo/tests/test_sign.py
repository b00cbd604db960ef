from numeric.sign import sign


def test_positive():
    assert sign(7) == 1


def test_negative():
    assert sign(-2) == -1


def test_zero():
    assert sign(0) == 0
