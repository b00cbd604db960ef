from sums.series import total_even_upto, total_upto


def test_total_upto_includes_n():
    assert total_upto(4) == 10


def test_total_even_upto():
    assert total_even_upto(6) == 12


def test_total_even_upto_zero():
    assert total_even_upto(0) == 0
