-- PostgreSQL oracle for Nexmark q6 over tables person / auction / bid: the same query as queries/q6.sql.
SELECT Q.seller,
  avg(Q.price) OVER (PARTITION BY Q.seller ORDER BY Q.date_time ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS avg_price
FROM (
  SELECT W.seller, W.price, W.date_time
  FROM (
    SELECT A.id, A.seller, B.price, B.date_time,
      ROW_NUMBER() OVER (PARTITION BY A.id, A.seller ORDER BY B.price DESC, B.date_time ASC) AS rownum
    FROM auction AS A, bid AS B
    WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires
  ) AS W
  WHERE W.rownum <= 1
) AS Q
