-- Nexmark q21: add channel id. A channel id for each bid: fixed ids for the four hot channels, else
-- the channel_id parameter of the bid's URL (the standard's REGEXP_EXTRACT, here regexp_match).
SELECT auction, bidder, price, channel,
  CASE
    WHEN lower(channel) = 'apple' THEN '0'
    WHEN lower(channel) = 'google' THEN '1'
    WHEN lower(channel) = 'facebook' THEN '2'
    WHEN lower(channel) = 'baidu' THEN '3'
    ELSE (regexp_match(url, '(&|^)channel_id=([^&]*)'))[2]
  END AS channel_id
FROM bid
WHERE (regexp_match(url, '(&|^)channel_id=([^&]*)'))[2] IS NOT NULL
  OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu')
