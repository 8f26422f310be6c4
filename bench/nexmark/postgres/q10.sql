-- PostgreSQL oracle for Nexmark q10 over tables person / auction / bid: the same query as queries/q10.sql.
SELECT auction, bidder, price, date_time, extra,
  to_char(date_time, 'YYYY-MM-DD') AS date,
  to_char(date_time, 'HH24:MI') AS time
FROM bid
