def normalize(text):
    """Return the text in lower case without surrounding whitespace."""
    return text.lower()


def is_blank(text):
    """Return True when the text holds only whitespace."""
    return text.strip() == ""
