-- PostgreSQL oracle for Nexmark q11: session windows per bidder with a 10-second gap. A bid starts a
-- new session when the bidder's previous bid is 10 seconds or more before it; a session runs from
-- its first bid to its last bid plus the gap.
SELECT bidder, count(*) AS bid_count, min(date_time) AS starttime, max(date_time) + INTERVAL '10 seconds' AS endtime
FROM (
  SELECT bidder, date_time, sum(starts) OVER (PARTITION BY bidder ORDER BY date_time) AS session_no
  FROM (
    SELECT bidder, date_time,
      CASE WHEN lag(date_time) OVER (PARTITION BY bidder ORDER BY date_time) > date_time - INTERVAL '10 seconds'
        THEN 0 ELSE 1 END AS starts
    FROM bid
  ) AS G
) AS S
GROUP BY bidder, session_no
