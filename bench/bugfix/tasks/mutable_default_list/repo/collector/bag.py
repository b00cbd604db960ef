def add_item(item, items=[]):
    """Return a list with item appended; a new list when none is given."""
    items.append(item)
    return items
