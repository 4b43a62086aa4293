"""segmentors package."""
