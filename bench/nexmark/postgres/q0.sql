-- PostgreSQL oracle for Nexmark q0 over tables person / auction / bid: the same query as queries/q0.sql.
SELECT auction, bidder, price, date_time, extra
FROM bid
