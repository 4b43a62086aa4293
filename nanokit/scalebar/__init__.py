"""scalebar package."""
