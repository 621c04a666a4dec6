"""Models of the complaints app arrive with its issue."""
