"""The demo organisation (Turtle): a data package, so that it ships with journeykg."""
