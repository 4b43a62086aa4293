"""necks package."""
