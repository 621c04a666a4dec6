"""Models of the reports app arrive with its issue."""
