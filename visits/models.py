"""Models of the visits app arrive with its issue."""
