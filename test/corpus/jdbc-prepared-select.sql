select id, name from t where id = $1
