-- PostgreSQL oracle for Nexmark q1 over tables person / auction / bid: the same query as queries/q1.sql.
SELECT auction, bidder, 0.908 * price AS price, date_time, extra
FROM bid
