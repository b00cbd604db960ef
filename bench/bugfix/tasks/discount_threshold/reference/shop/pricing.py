def final_price(total):
    """Return the price to pay: orders of 100 or more get 10 percent off."""
    if total >= 100:
        return total * 0.9
    return total
