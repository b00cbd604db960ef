from stats.average import mean, total


def test_mean_of_halves():
    assert mean([1, 2]) == 1.5


def test_total():
    assert total([1, 2, 3]) == 6
