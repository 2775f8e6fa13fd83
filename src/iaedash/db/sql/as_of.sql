-- The as-of line: latest date received among the data the viewer may see on the day, and their latest import.
select max(received_on) as data_as_of, max(imported_at) as last_imported_at
from current_submissions_at($as_of)
where visible(network_head, $allowed);
