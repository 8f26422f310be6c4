-- Nexmark q3: local item suggestion. Sellers in Oregon, Idaho or California and their auctions in
-- category 10 (an incremental join of two streams).
SELECT P.name, P.city, P.state, A.id
FROM auction AS A
INNER JOIN person AS P ON A.seller = P.id
WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')
