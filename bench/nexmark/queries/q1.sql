-- Nexmark q1: currency conversion. Each bid's price turned from dollars to euros (rate 0.908).
SELECT auction, bidder, 0.908 * price AS price, date_time, extra
FROM bid
