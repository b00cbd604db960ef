from powers.powers import cube, power, square


def test_power():
    assert power(2, 10) == 1024


def test_square():
    assert square(5) == 25


def test_cube():
    assert cube(3) == 27
