-- Nexmark q13: bounded side input join. Each bid enriched from a fixed side table (key 0..9999,
-- value its key as text) by auction id modulo 10,000. The standard joins the side input as of the
-- bid's processing time; the side input never changes, so a plain join gives the same rows.
SELECT B.auction, B.bidder, B.price, B.date_time, S.value
FROM bid AS B
JOIN (SELECT k AS key, CAST(k AS varchar) AS value FROM generate_series(0, 9999) AS g(k)) AS S
ON B.auction % 10000 = S.key
