"""Diagrams of graph answers: a model (nodes, edges, groups) and one module per output format."""
