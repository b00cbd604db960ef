def greet(name, greeting="Hello"):
    """Return '<greeting>, <name>!'; the greeting defaults to 'Hello'."""
    return f"{greeting}, {name}!"
