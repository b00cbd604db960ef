from divisors.gcd import gcd


def test_gcd_of_zero_and_zero():
    assert gcd(0, 0) == 0


def test_gcd():
    assert gcd(12, 18) == 6
