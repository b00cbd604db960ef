from shop.pricing import final_price


def test_small_order():
    assert final_price(50) == 50


def test_large_order():
    assert final_price(200) == 180


def test_exactly_one_hundred():
    assert final_price(100) == 90
