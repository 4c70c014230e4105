-- Cross-shop offers (content/offers.toml): the promo code a cart holds, what each order
-- and each shop's sub-order was discounted, and how many orders used each code.
--
-- Portable SQL (see README.md). Amounts in integer cents. A sub-order's `items_total`
-- stays the items' price; `discount` is its share of the order's discount, and the
-- shares of an order add up exactly to `orders.discount_total`.

ALTER TABLE carts ADD COLUMN promo_code TEXT;

ALTER TABLE orders ADD COLUMN discount_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN promo_code TEXT;
-- Why, one French line per offer applied ("−10 % : vos achats viennent de 2 boutiques").
ALTER TABLE orders ADD COLUMN discount_notes TEXT NOT NULL DEFAULT '';

ALTER TABLE sub_orders ADD COLUMN discount BIGINT NOT NULL DEFAULT 0;

-- Orders placed with each code, taken by a conditional update inside the order's
-- transaction (never past the code's `max_uses`). Not given back on cancellation.
CREATE TABLE promo_code_uses (
    code TEXT PRIMARY KEY,
    uses BIGINT NOT NULL CHECK (uses >= 0)
);
