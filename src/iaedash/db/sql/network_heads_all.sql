-- Every network head ever known, sorted: the colour of a network head is its rank here, on every chart.
select code, name from network_heads order by code;
