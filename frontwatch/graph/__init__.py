"""The network of canonical entities and claims: filters, loading, queries and analysis."""
