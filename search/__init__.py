"""Search: the query model, the backends that answer it, and geo lookup."""
