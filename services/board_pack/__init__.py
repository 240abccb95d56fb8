"""The board pack: one HTML and one PDF document of the graph's state for a board."""
