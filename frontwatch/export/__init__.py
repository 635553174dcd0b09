"""Exports of the network to the formats of the ecosystem (one module per format)."""
