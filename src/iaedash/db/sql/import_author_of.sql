-- Who imported a file, as the acts file keeps it (recovery after a killed import).
select import_id, actor_email, actor_name, actor_role from import_authors where import_id = $import_id;
