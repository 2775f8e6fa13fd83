select count(*) > 0 from schema_info where key = 'demo_data' and value = 'oui';
