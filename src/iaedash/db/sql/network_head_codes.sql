-- Every network head code known, unrestricted: only their ranks leave the read layer (their colours).
select code from network_heads order by code;
