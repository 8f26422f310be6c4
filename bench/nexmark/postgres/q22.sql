-- PostgreSQL oracle for Nexmark q22 over tables person / auction / bid: the same query as queries/q22.sql.
SELECT auction, bidder, price, channel,
  split_part(url, '/', 4) AS dir1,
  split_part(url, '/', 5) AS dir2,
  split_part(url, '/', 6) AS dir3
FROM bid
