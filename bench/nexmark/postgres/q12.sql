-- PostgreSQL counterpart of Nexmark q12 (processing-time windows), for reading only: its windows
-- come from the wall clock when each bid was taken in, so no run can be compared with another.
-- Here every bid counts as taken in now().
SELECT bidder, count(*) AS bid_count, window_start AS starttime, window_start + INTERVAL '10 seconds' AS endtime
FROM (SELECT bidder, date_bin('10 seconds', now()::timestamp, TIMESTAMP '1970-01-01') AS window_start FROM bid) AS T
GROUP BY bidder, window_start
