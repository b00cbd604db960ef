from units.temperature import to_celsius, to_fahrenheit


def test_boiling_point_in_fahrenheit():
    assert to_fahrenheit(100) == 212


def test_boiling_point_in_celsius():
    assert to_celsius(212) == 100
