-- PostgreSQL oracle for Nexmark q7: TUMBLE(bid, date_time, 10 s) as date_bin to 1970-01-01.
SELECT B.auction, B.bidder, B.price, B.date_time, B.extra
FROM bid AS B
JOIN (
  SELECT max(price) AS maxprice, window_end AS date_time
  FROM (
    SELECT price,
      date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS window_start,
      date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') + INTERVAL '10 seconds' AS window_end
    FROM bid
  ) AS T
  GROUP BY window_start, window_end
) AS B1
ON B.price = B1.maxprice
WHERE B.date_time BETWEEN B1.date_time - INTERVAL '10' SECOND AND B1.date_time
