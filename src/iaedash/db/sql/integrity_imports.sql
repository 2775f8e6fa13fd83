-- Every import and the kept file it names, with what that name also says (`iaedash check`).
select import_id, file_name, sha256, kept_file, received_on, imported_at from imports order by import_id;
