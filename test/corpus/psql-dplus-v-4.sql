SELECT pg_catalog.pg_get_viewdef('16397'::pg_catalog.oid, true);
