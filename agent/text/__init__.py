"""Text for and from the model: token counts, cuts to a budget, prompt templates."""
