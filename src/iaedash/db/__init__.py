"""The DuckDB store: connections, schema, and the named SQL queries that read it."""
