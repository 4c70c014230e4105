-- The history of each sub-order's status, what the merchant said when cancelling or
-- shipping, and the shops' acceptances of the quality charter.
--
-- Portable SQL (see README.md): times are unix seconds, keys are natural.

-- Why a sub-order was cancelled, and the carrier's tracking number of a shipped one.
ALTER TABLE sub_orders ADD COLUMN cancel_reason TEXT;
ALTER TABLE sub_orders ADD COLUMN tracking_number TEXT;

-- One row per status change, written in the transaction that makes it. Statuses only
-- move forward, so a sub-order reaches each status once: (order, shop, to) is the key.
-- `actor` is 'merchant' (with the user's id and e-mail), 'shopper' or 'system'.
CREATE TABLE order_events (
    order_number TEXT NOT NULL,
    shop TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL CHECK (actor IN ('merchant', 'shopper', 'system')),
    user_id TEXT,
    user_email TEXT,
    at BIGINT NOT NULL,
    reason TEXT,
    tracking_number TEXT,
    PRIMARY KEY (order_number, shop, to_status),
    FOREIGN KEY (order_number, shop) REFERENCES sub_orders (order_number, shop) ON DELETE CASCADE
);

CREATE INDEX order_events_by_shop ON order_events (shop, at);

-- Who accepted which version of the quality charter for a shop, and when. The shop's
-- `shop.toml` says the same (it decides publication); this is the record of who did it.
CREATE TABLE charter_acceptances (
    shop TEXT NOT NULL,
    version TEXT NOT NULL,
    accepted_at BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    user_email TEXT NOT NULL,
    PRIMARY KEY (shop, version)
);
