from sequences.fib import fib


def test_fib_one():
    assert fib(1) == 1


def test_fib_ten():
    assert fib(10) == 55
