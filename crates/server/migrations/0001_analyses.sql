-- Analyses: the history listed by /api/analyses, and the cache of URL analyses
-- shared by every replica (looked up by cache_key while younger than the TTL).
CREATE TABLE analyses (
    id        bigserial   PRIMARY KEY,
    created   timestamptz NOT NULL DEFAULT now(),
    source    text        NOT NULL,
    url       text,
    cache_key text,
    format    text        NOT NULL,
    bytes     bigint      NOT NULL,
    words     bigint      NOT NULL,
    title     text,
    language  text,
    -- The report exactly as served: text, not jsonb, which would reorder its keys.
    report    text        NOT NULL
);
CREATE INDEX analyses_cache_key ON analyses (cache_key, id DESC) WHERE cache_key IS NOT NULL;
