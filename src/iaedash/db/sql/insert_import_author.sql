insert into import_authors (import_id, actor_email, actor_name, actor_role) values (?, ?, ?, ?);
