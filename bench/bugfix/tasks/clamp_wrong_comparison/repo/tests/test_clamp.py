from ranges.clamp import clamp


def test_below_low():
    assert clamp(-5, 0, 10) == 0


def test_at_high():
    assert clamp(10, 0, 10) == 10


def test_inside():
    assert clamp(5, 0, 10) == 5
