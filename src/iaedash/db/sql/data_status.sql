-- How current the data are: the last import and the number of files behind them.
select count(*) as imports, max(imported_at) as last_imported_at, max(import_id) as last_import_id from imports;
