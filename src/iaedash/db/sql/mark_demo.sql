-- The database holds the fictitious demo data: pages show a banner saying so.
insert or replace into schema_info values ('demo_data', 'oui');
