from arith.ops import add, difference, product


def test_add():
    assert add(2, 3) == 5


def test_difference():
    assert difference(10, 4) == 6


def test_product():
    assert product(3, 4) == 12
