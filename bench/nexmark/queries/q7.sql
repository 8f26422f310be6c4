-- Nexmark q7: highest bid. The bids at the highest price of each 10-second tumbling window (joined
-- back to the bids of that window).
SELECT B.auction, B.bidder, B.price, B.date_time, B.extra
FROM bid AS B
JOIN (
  SELECT max(price) AS maxprice, window_end AS date_time
  FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND)
  GROUP BY window_start, window_end
) AS B1
ON B.price = B1.maxprice
WHERE B.date_time BETWEEN B1.date_time - INTERVAL '10' SECOND AND B1.date_time
