"""Jinja prompt templates, one per phase, shipped inside the package."""
