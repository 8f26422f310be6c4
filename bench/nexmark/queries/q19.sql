-- Nexmark q19: auction top 10 prices. The 10 highest bids of each auction with their rank (ties in
-- price ranked by time, earliest first, so the ranks are deterministic; the standard leaves them open).
SELECT *
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, date_time ASC) AS rank_number
  FROM bid
) AS B
WHERE rank_number <= 10
