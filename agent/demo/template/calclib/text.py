"""Text helpers."""

import re


def slugify(title: str) -> str:
    """Turn a title into a URL slug of lowercase words joined by dashes."""
    # FIXME: leading and trailing dashes are kept: slugify("Hello, World!") must be "hello-world"
    return re.sub(r"[^a-z0-9]+", "-", title.lower())


def initials(name: str) -> str:
    """Return the upper-case initials of a name: "ada lovelace" -> "AL"."""
    return "".join(part[0].upper() for part in name.split())
