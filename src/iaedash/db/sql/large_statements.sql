-- Back to DuckDB's thread pool (a bulk file's set-based checks and inserts), after small_statements.
reset threads;
