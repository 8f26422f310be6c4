-- PostgreSQL oracle for Nexmark q8: TUMBLE(..., date_time, 10 s) as date_bin to 1970-01-01.
SELECT P.id, P.name, P.starttime
FROM (
  SELECT id, name, window_start AS starttime, window_start + INTERVAL '10 seconds' AS endtime
  FROM (SELECT id, name, date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS window_start FROM person) AS T
  GROUP BY id, name, window_start
) AS P
JOIN (
  SELECT seller, window_start AS starttime, window_start + INTERVAL '10 seconds' AS endtime
  FROM (SELECT seller, date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS window_start FROM auction) AS T
  GROUP BY seller, window_start
) AS A
ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime
