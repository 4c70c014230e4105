-- Stock, carts, orders and delivery capacity.
--
-- Portable SQL: the same file runs on SQLite and PostgreSQL (see README.md). Money is in
-- integer cents, times are unix seconds (BIGINT), calendar days are ISO text (YYYY-MM-DD).

-- What is left to sell, per SKU (a variant's SKU, or the id of a product without
-- variants). Seeded from the catalogue the first time a SKU is seen, never after.
CREATE TABLE stock (
    sku TEXT PRIMARY KEY,
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    seeded_at BIGINT NOT NULL
);

-- Carts live 30 days after their last change.
CREATE TABLE carts (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX carts_by_update ON carts (updated_at);

CREATE TABLE cart_lines (
    cart_id TEXT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    sku TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    position BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (cart_id, sku)
);

-- Last order number handed out, per prefix and year ("SC-2026").
CREATE TABLE order_counters (
    series TEXT PRIMARY KEY,
    last_value BIGINT NOT NULL
);

CREATE TABLE orders (
    number TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    tracking_token TEXT NOT NULL UNIQUE,
    placed_at BIGINT NOT NULL,
    price_day TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    street TEXT,
    postcode TEXT,
    city TEXT,
    items_total BIGINT NOT NULL,
    fees_total BIGINT NOT NULL,
    total BIGINT NOT NULL,
    payment_method TEXT NOT NULL,
    payment_status TEXT NOT NULL,
    payment_reference TEXT
);

-- One order per shop: its delivery and its status.
CREATE TABLE sub_orders (
    order_number TEXT NOT NULL REFERENCES orders (number) ON DELETE CASCADE,
    shop TEXT NOT NULL,
    shop_name TEXT NOT NULL,
    mode TEXT NOT NULL,
    point TEXT,
    day TEXT,
    slot TEXT,
    ready_at BIGINT,
    items_total BIGINT NOT NULL,
    fee BIGINT NOT NULL,
    weight_grams BIGINT NOT NULL,
    status TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (order_number, shop)
);

CREATE INDEX sub_orders_by_shop ON sub_orders (shop, status);

CREATE TABLE order_lines (
    order_number TEXT NOT NULL,
    shop TEXT NOT NULL,
    position BIGINT NOT NULL,
    sku TEXT NOT NULL,
    product_id TEXT NOT NULL,
    title TEXT NOT NULL,
    variant TEXT,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (order_number, shop, position),
    FOREIGN KEY (order_number, shop) REFERENCES sub_orders (order_number, shop) ON DELETE CASCADE
);

-- Parcels booked per delivery resource ("locker:<point>", "relay:<point>", "home"), day
-- and slot ('' for lockers, whose capacity is per day). Taken and released inside the
-- transactions that place and cancel orders, under a capacity check.
CREATE TABLE slot_bookings (
    resource TEXT NOT NULL,
    day TEXT NOT NULL,
    slot TEXT NOT NULL,
    taken BIGINT NOT NULL CHECK (taken >= 0),
    PRIMARY KEY (resource, day, slot)
);
