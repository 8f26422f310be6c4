-- PostgreSQL oracle for Nexmark q13 over tables person / auction / bid: the same query as queries/q13.sql.
SELECT B.auction, B.bidder, B.price, B.date_time, S.value
FROM bid AS B
JOIN (SELECT k AS key, CAST(k AS varchar) AS value FROM generate_series(0, 9999) AS g(k)) AS S
ON B.auction % 10000 = S.key
