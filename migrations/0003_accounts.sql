-- Accounts of the people who run the site: merchants (one shop each; a shop can have
-- several) and, later, the association's staff. Sessions, one-time password links and
-- failed logins (rate limiting) live beside them.
--
-- Portable SQL (see README.md). Secrets are never stored: passwords as argon2id PHC
-- strings, session and link tokens as their SHA-256 (hex).

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,          -- lowercased
    role TEXT NOT NULL CHECK (role IN ('merchant', 'admin')),
    shop TEXT,                           -- the merchant's shop (slug); NULL for staff
    password_hash TEXT,                  -- NULL until the user sets one
    created_at BIGINT NOT NULL,
    disabled_at BIGINT,
    CHECK ((role = 'merchant' AND shop IS NOT NULL) OR (role = 'admin' AND shop IS NULL))
);

CREATE INDEX users_by_shop ON users (shop);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

-- Links that let a user choose a password: an invitation or a reset. Used once.
CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Failed logins, per account ('account:<email>') and per address ('ip:<addr>').
CREATE TABLE login_failures (
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE INDEX login_failures_by_subject ON login_failures (subject, at);
