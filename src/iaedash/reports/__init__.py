"""Read models of the pages: named queries (aggregated in DuckDB) shaped by the domain rules.

No Streamlit here: pages call these through `iaedash.ui`, which caches them per data version.
"""
