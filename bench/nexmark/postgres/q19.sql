-- PostgreSQL oracle for Nexmark q19 over tables person / auction / bid: the same query as queries/q19.sql.
SELECT *
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, date_time ASC) AS rank_number
  FROM bid
) AS B
WHERE rank_number <= 10
