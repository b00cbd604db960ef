from calclib.stats import mean, spread


def test_mean_of_three_values():
    assert mean([1.0, 2.0, 3.0]) == 2.0


def test_spread():
    assert spread([4.0, 1.0, 9.0]) == 8.0
