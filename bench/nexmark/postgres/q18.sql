-- PostgreSQL oracle for Nexmark q18 over tables person / auction / bid: the same query as queries/q18.sql.
SELECT auction, bidder, price, channel, url, date_time, extra
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY date_time DESC) AS rank_number
  FROM bid
) AS B
WHERE rank_number <= 1
