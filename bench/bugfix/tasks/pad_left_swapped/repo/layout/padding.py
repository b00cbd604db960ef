def pad_left(text, width, fill=" "):
    """Right-align text in a field of the given width, padding with fill."""
    return text.rjust(fill, width)


def pad_right(text, width, fill=" "):
    """Left-align text in a field of the given width, padding with fill."""
    return text.ljust(width, fill)
