-- The store's ordered keys: one row per key of a bucket. A bucket is its
-- path of names joined by a NUL byte, so the buckets nested in B sort
-- right after B and a prefix range finds them.
CREATE TABLE mg_kv (
	bucket bytea NOT NULL,
	key    bytea NOT NULL,
	value  bytea NOT NULL,
	PRIMARY KEY (bucket, key)
);

-- The generation: the number of committed transactions that changed the
-- store. Its row lock orders commits, so generations commit in order.
CREATE TABLE mg_generation (
	id    int PRIMARY KEY CHECK (id = 1),
	value bigint NOT NULL
);
INSERT INTO mg_generation (id, value) VALUES (1, 0);

-- The change feed: what each generation changed, for the other servers
-- (and for anything catching up after a restart).
CREATE TABLE mg_changes (
	generation   bigint PRIMARY KEY,
	changes      jsonb NOT NULL,
	committed_at timestamptz NOT NULL DEFAULT now()
);
