-- The as-of line: latest date received among current data, latest import time.
select
    (select max(received_on) from current_submissions) as data_as_of,
    (select max(imported_at) from imports) as last_imported_at;
