-- Visits: page views of the site's HTML pages by people, one row per day (Paris time) and
-- kind of page (home, shop, aisle, product, search, cart, checkout, other). Counted on the
-- server without cookies or personal data: no IP, no user agent, no URL; known robots are
-- left out (src/ops/visits.rs). Version 5: 0004 belongs to another change.
CREATE TABLE visits (
    day TEXT NOT NULL,
    page TEXT NOT NULL,
    views BIGINT NOT NULL CHECK (views >= 0),
    PRIMARY KEY (day, page)
);
