def greet(name, greeting="Hi"):
    """Return '<greeting>, <name>!'; the greeting defaults to 'Hello'."""
    return f"{greeting}, {name}!"
