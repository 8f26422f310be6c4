-- no oracle: processing-time windows depend on the wall clock; it runs as a sink (bench/nexmark) and a view refuses PROCTIME()
-- Nexmark q12: processing-time windows. Bids per bidder per 10-second window of processing time
-- (the time Freshet took the bid in, not its event time). No oracle can check this one: its
-- windows depend on the wall clock.
SELECT bidder, count(*) AS bid_count, window_start AS starttime, window_end AS endtime
FROM TUMBLE((SELECT *, PROCTIME() AS p_time FROM bid), p_time, INTERVAL '10' SECOND)
GROUP BY bidder, window_start, window_end
