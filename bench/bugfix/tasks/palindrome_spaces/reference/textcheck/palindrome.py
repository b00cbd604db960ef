def is_palindrome(text):
    """Return True when text reads the same backwards, ignoring case and spaces."""
    cleaned = text.lower().replace(" ", "")
    return cleaned == cleaned[::-1]
