from seqtools.extremes import largest, smallest


def test_largest():
    assert largest([3, 9, 4]) == 9


def test_smallest():
    assert smallest([3, 9, 1, 4]) == 1


def test_single_value():
    assert smallest([5]) == 5
