-- PostgreSQL oracle for Nexmark q2 over tables person / auction / bid: the same query as queries/q2.sql.
SELECT auction, price
FROM bid
WHERE auction % 123 = 0
