-- PostgreSQL oracle for Nexmark q5: HOP(bid, date_time, 2 s, 10 s) as the window starts (multiples
-- of 2 s from 1970-01-01) of the windows [start, start + 10 s) that contain each bid.
WITH hop_bid AS (
  SELECT bid.*, s AS window_start, s + INTERVAL '10 seconds' AS window_end
  FROM bid, generate_series(
    date_bin('2 seconds', date_time - INTERVAL '10 seconds', TIMESTAMP '1970-01-01') + INTERVAL '2 seconds',
    date_bin('2 seconds', date_time, TIMESTAMP '1970-01-01'),
    INTERVAL '2 seconds') AS w(s)
)
SELECT AuctionBids.auction, AuctionBids.num
FROM (
  SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
  FROM hop_bid
  GROUP BY auction, window_start, window_end
) AS AuctionBids
JOIN (
  SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
  FROM (
    SELECT count(*) AS num, window_start AS starttime, window_end AS endtime
    FROM hop_bid
    GROUP BY auction, window_start, window_end
  ) AS CountBids
  GROUP BY CountBids.starttime, CountBids.endtime
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime
  AND AuctionBids.endtime = MaxBids.endtime
  AND AuctionBids.num >= MaxBids.maxn
