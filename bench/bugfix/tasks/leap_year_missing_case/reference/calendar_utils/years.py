def is_leap(year):
    """Return True for leap years in the Gregorian calendar."""
    return (year % 4 == 0 and year % 100 != 0) or year % 400 == 0


def days_in_year(year):
    """Return 366 for leap years, else 365."""
    return 366 if is_leap(year) else 365
