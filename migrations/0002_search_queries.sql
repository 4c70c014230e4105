-- What shoppers search for: one row per normalised query per day (Paris time), with how
-- many searches asked it and how many of those found nothing. No personal data: no IP,
-- no cookie, no user; queries are normalised (folded words) before they are counted.
CREATE TABLE search_queries (
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    searches BIGINT NOT NULL,
    zero_results BIGINT NOT NULL,
    PRIMARY KEY (day, query)
);

CREATE INDEX search_queries_by_day ON search_queries (day);
