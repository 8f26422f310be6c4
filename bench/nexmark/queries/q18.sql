-- Nexmark q18: last bid. Each bidder's latest bid on each auction (deduplication keeping the last
-- row; event times are unique, so there are no ties).
SELECT auction, bidder, price, channel, url, date_time, extra
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY date_time DESC) AS rank_number
  FROM bid
) AS B
WHERE rank_number <= 1
