-- Nexmark q10: log to file system. Every bid with its day and minute (the partition columns of the
-- standard's file sink; Freshet keeps the rows in the view).
SELECT auction, bidder, price, date_time, extra,
  to_char(date_time, 'YYYY-MM-DD') AS date,
  to_char(date_time, 'HH24:MI') AS time
FROM bid
