package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The keys and values of a PostgreSQL transaction: one row of mg_kv per
// key. Reads go to the database once per key (pgCache remembers them);
// writes are queued and go with the next read or the commit.

func (t *pgTx) writable() bool { return t.write }

func (t *pgTx) get(b bucket, key []byte) ([]byte, error) {
	if err := t.lockFor(b); err != nil {
		return nil, err
	}
	if v, ok := t.cache.value(b, key); ok {
		return v, nil
	}
	var v []byte
	err := t.readRow("get", func(row pgx.Row) error {
		if err := row.Scan(&v); !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return nil
	}, "SELECT value FROM mg_kv WHERE bucket = $1 AND key = $2", bucketBytes(b), key)
	if err == nil {
		t.cache.remember(b, key, v)
	}
	return v, err
}

// getMany answers what the transaction knows already and asks for the
// rest in one query.
func (t *pgTx) getMany(b bucket, keys [][]byte) ([][]byte, error) {
	if err := t.lockFor(b); err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	var ask [][]byte
	at := map[string][]int{}
	for i, k := range keys {
		if v, ok := t.cache.value(b, k); ok {
			out[i] = v
			continue
		}
		if at[string(k)] == nil {
			ask = append(ask, k)
		}
		at[string(k)] = append(at[string(k)], i)
	}
	if len(ask) == 0 {
		return out, nil
	}
	t.queue("SELECT key, value FROM mg_kv WHERE bucket = $1 AND key = ANY($2)", bucketBytes(b), ask).Query(func(rows pgx.Rows) error {
		var k, v []byte
		_, err := pgx.ForEachRow(rows, []any{&k, &v}, func() error {
			for _, i := range at[string(k)] {
				out[i] = v
			}
			k, v = nil, nil // the next row decodes into fresh slices
			return nil
		})
		return err
	})
	if err := t.flush(); err != nil {
		return nil, fmt.Errorf("postgres: get: %w", err)
	}
	for _, k := range ask {
		t.cache.remember(b, k, out[at[string(k)][0]])
	}
	return out, nil
}

// lookup reads the index range and the records it names in one query (a
// join), and remembers both: asked again, or after this transaction wrote
// to the index, it answers from what it knows.
func (t *pgTx) lookup(index bucket, prefix []byte, records bucket) (ids, values [][]byte, err error) {
	if err := t.lockFor(index); err != nil {
		return nil, nil, err
	}
	if err := t.lockFor(records); err != nil {
		return nil, nil, err
	}
	if ids, ok := t.cache.lookup(index, prefix); ok {
		values, err := t.getMany(records, ids)
		return ids, values, err
	}
	where, args := rangeWhere(index, prefix)
	n := len(args)
	q := fmt.Sprintf(`SELECT i.id, r.value FROM (SELECT substring(key FROM $%d) AS id FROM mg_kv WHERE %s) i
		LEFT JOIN mg_kv r ON r.bucket = $%d AND r.key = i.id ORDER BY i.id`, n+1, where, n+2)
	t.queue(q, append(args, len(prefix)+1, bucketBytes(records))...).Query(func(rows pgx.Rows) error {
		var id, v []byte
		_, err := pgx.ForEachRow(rows, []any{&id, &v}, func() error {
			ids, values = append(ids, id), append(values, v)
			id, v = nil, nil
			return nil
		})
		return err
	})
	if err := t.flush(); err != nil {
		return nil, nil, fmt.Errorf("postgres: lookup: %w", err)
	}
	t.cache.rememberLookup(index, prefix, ids)
	for i, id := range ids {
		t.cache.remember(records, id, values[i])
	}
	return ids, values, nil
}

func (t *pgTx) put(b bucket, key, value []byte) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	if value == nil {
		value = []byte{}
	}
	// Queued: the next read, or the commit, sends it.
	key, value = bytes.Clone(key), bytes.Clone(value)
	t.queue(`INSERT INTO mg_kv (bucket, key, value) VALUES ($1, $2, $3)
		ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value`, bucketBytes(b), key, value)
	t.writes++
	t.cache.wrote(b, key, value, true)
	return nil
}

func (t *pgTx) del(b bucket, key []byte) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	key = bytes.Clone(key)
	t.queue("DELETE FROM mg_kv WHERE bucket = $1 AND key = $2", bucketBytes(b), key)
	t.writes++
	t.cache.wrote(b, key, nil, false)
	return nil
}

// delIf is one statement: a row that another transaction changes
// meanwhile is waited for and judged again by its new value. The rows are
// locked in key order (FOR UPDATE after ORDER BY), the order writers of
// several keys keep, so that a delete and a writer never wait for each
// other in a cycle.
func (t *pgTx) delIf(b bucket, max []byte) (int, error) {
	if err := t.lockFor(b); err != nil {
		return 0, err
	}
	var n int64
	t.queue("DELETE FROM mg_kv WHERE bucket = $1 AND key IN (SELECT key FROM mg_kv WHERE bucket = $1 AND value <= $2 ORDER BY key FOR UPDATE)", bucketBytes(b), max).Exec(func(ct pgconn.CommandTag) error {
		n = ct.RowsAffected()
		return nil
	})
	err := t.flush()
	t.cache.forget(b)
	if err != nil {
		return 0, fmt.Errorf("postgres: delete: %w", err)
	}
	return int(n), nil
}

// successor returns the smallest key greater than every key starting with
// p, or nil when there is none (p empty or all 0xff).
func successor(p []byte) []byte {
	s := append([]byte(nil), p...)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0xff {
			s[i]++
			return s[:i+1]
		}
	}
	return nil
}

// rangeWhere is the SQL condition and arguments of a prefix range.
func rangeWhere(b bucket, prefix []byte) (string, []any) {
	if prefix == nil {
		prefix = []byte{} // not NULL
	}
	where, args := "bucket = $1 AND key >= $2", []any{bucketBytes(b), prefix}
	if end := successor(prefix); end != nil {
		where += " AND key < $3"
		args = append(args, end)
	}
	return where, args
}

func (t *pgTx) scan(b bucket, r keyRange, fn func(k, v []byte) error) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	where, args := rangeWhere(b, r.prefix)
	var limit any // NULL: no limit
	if r.limit >= 0 {
		limit = r.limit
	}
	n := len(args)
	q := fmt.Sprintf("SELECT key, value FROM mg_kv WHERE %s ORDER BY key OFFSET $%d LIMIT $%d", where, n+1, n+2)
	var fnErr error
	t.queue(q, append(args, r.offset, limit)...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			raw := rows.RawValues()
			if fnErr = fn(raw[0], raw[1]); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if err := t.flush(); err != nil {
		if fnErr != nil {
			return fnErr
		}
		return fmt.Errorf("postgres: scan: %w", err)
	}
	return nil
}

func (t *pgTx) count(b bucket, prefix []byte) (int, error) {
	if err := t.lockFor(b); err != nil {
		return 0, err
	}
	where, args := rangeWhere(b, prefix)
	var n int
	err := t.readRow("count", func(row pgx.Row) error { return row.Scan(&n) }, "SELECT count(*) FROM mg_kv WHERE "+where, args...)
	return n, err
}

// buckets skips from one nested bucket to the next through the primary
// key, one probe per bucket, without reading the keys in between.
func (t *pgTx) buckets(b bucket) ([]string, error) {
	prefix := append(bucketBytes(b), 0)
	end := append(bucketBytes(b), 1)
	var names []string
	from := prefix
	for {
		var next []byte
		err := t.readRow("buckets", func(row pgx.Row) error {
			if err := row.Scan(&next); !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			return nil
		}, "SELECT bucket FROM mg_kv WHERE bucket >= $1 AND bucket < $2 ORDER BY bucket LIMIT 1", from, end)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return names, nil
		}
		name, _, _ := strings.Cut(string(next[len(prefix):]), "\x00")
		names = append(names, name)
		from = append(append(append([]byte(nil), prefix...), name...), 1)
	}
}

func (t *pgTx) dropBucket(b bucket) error {
	if err := t.lockFor(b); err != nil {
		return err
	}
	own := bucketBytes(b)
	t.cache.emptied(b)
	t.writes++
	t.queue("DELETE FROM mg_kv WHERE bucket = $1 OR (bucket >= $2 AND bucket < $3)",
		own, append(own, 0), append(bucketBytes(b), 1))
	return nil
}
