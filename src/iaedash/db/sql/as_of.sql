-- The as-of line: latest date received among the current data the viewer may see, and their latest import.
select max(received_on) as data_as_of, max(imported_at) as last_imported_at
from current_submissions
where visible(network_head, $allowed);
