-- (network head, year) pairs that have a current convention: every convention submission has its row in
-- `conventions` (written in the same transaction), and its scope's latest version is current, so the raw
-- table answers without the current_* views' window over every submission.
select distinct network_head, year from submissions where kind = 'conventions';
