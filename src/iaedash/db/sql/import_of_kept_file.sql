-- The committed import a kept file's name belongs to, and its SHA-256 (recovery after a killed import).
select import_id, sha256 from imports where kept_file = $kept_file;
