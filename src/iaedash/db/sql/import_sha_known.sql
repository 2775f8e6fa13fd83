-- Import: was a file with this SHA-256 already imported? (find_import_by_sha says when and with which
-- versions; most files are new, and this one lookup is cheaper.)
select count(*) > 0 as known from imports where sha256 = $sha256;
