insert into imports (import_id, file_name, sha256, received_on, imported_at, kept_file) values (?, ?, ?, ?, ?, ?);
