select count(*) > 0 as demo from schema_info where key = 'demo_data' and value = 'oui';
