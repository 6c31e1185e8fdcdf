-- Analyses are reached by ids nobody can guess: 128 random bits chosen by the
-- server, as 32 hex digits. Rows from before get 122 random bits from
-- gen_random_uuid (built in since PostgreSQL 13). The serial id stays, for order
-- and pruning, and is never shown.
ALTER TABLE analyses ADD COLUMN public_id text;
UPDATE analyses SET public_id = replace(gen_random_uuid()::text, '-', '');
ALTER TABLE analyses ALTER COLUMN public_id SET NOT NULL;
CREATE UNIQUE INDEX analyses_public_id ON analyses (public_id);
