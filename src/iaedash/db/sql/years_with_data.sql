select distinct year from current_conventions order by year desc;
