"""journeykg's own glossary (Turtle): a data package, so that it ships with journeykg."""
