-- Every import and the kept file it names (`iaedash check`).
select import_id, file_name, sha256, kept_file from imports order by import_id;
