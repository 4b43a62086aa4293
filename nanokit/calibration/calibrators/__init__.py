"""calibrators package."""
