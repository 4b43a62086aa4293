"""sizers package."""
