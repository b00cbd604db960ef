from calendar_utils.years import days_in_year, is_leap


def test_ordinary_leap_year():
    assert is_leap(2024)


def test_century_is_not_leap():
    assert not is_leap(1900)


def test_every_400_years_is_leap():
    assert is_leap(2000)


def test_days_in_year():
    assert days_in_year(2023) == 365
