"""Imports from other tools and trackers into the store (one module per format)."""
