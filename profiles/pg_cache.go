package profiles

import (
	"bytes"
	"slices"
	"strings"
)

// pgCache is what one PostgreSQL transaction has read or written, so that
// it asks the database at most once for each: a read transaction reads
// one snapshot, and a write transaction holds the lock of what it touches,
// so no one else changes it meanwhile. The transaction's own writes update
// it, so it always reads as the database would.
type pgCache struct {
	// values by bucket and key (seenKey); nil: no such key.
	values map[string][]byte
	// lookups are the IDs found in an index under a prefix (ending in a
	// NUL byte), in key order, by index bucket and prefix.
	lookups map[string]map[string][][]byte
	// fresh are buckets this transaction emptied (dropBucket): a key in
	// them that it did not write is not there, no need to ask.
	fresh [][]byte
}

func seenKey(b bucket, key []byte) string { return string(bucketBytes(b)) + "\x00\x00" + string(key) }

// value returns what the transaction knows of a key: ok is false when it
// must ask the database.
func (c *pgCache) value(b bucket, key []byte) (v []byte, ok bool) {
	if v, ok := c.values[seenKey(b, key)]; ok {
		return v, true
	}
	if c.isFresh(b) {
		return nil, true
	}
	return nil, false
}

// remember records a value read or written (nil: the key is not there).
func (c *pgCache) remember(b bucket, key, value []byte) {
	if c.values == nil {
		c.values = map[string][]byte{}
	}
	c.values[seenKey(b, key)] = value
}

// wrote records a put (present) or a delete of a key: its value, and its
// ID in the lookups of b whose prefix the key starts with.
func (c *pgCache) wrote(b bucket, key, value []byte, present bool) {
	if !present {
		value = nil
	}
	c.remember(b, key, value)
	byPrefix := c.lookups[string(bucketBytes(b))]
	if byPrefix == nil {
		return
	}
	for i, ch := range key {
		if ch != 0 {
			continue
		}
		ids, ok := byPrefix[string(key[:i+1])]
		if !ok {
			continue
		}
		id := key[i+1:]
		at, found := slices.BinarySearchFunc(ids, id, bytes.Compare)
		switch {
		case present && !found:
			ids = slices.Insert(ids, at, bytes.Clone(id))
		case !present && found:
			ids = slices.Delete(ids, at, at+1)
		}
		byPrefix[string(key[:i+1])] = ids
	}
}

// lookup returns the IDs of an index lookup already made; ok is false when
// it must ask the database.
func (c *pgCache) lookup(index bucket, prefix []byte) (ids [][]byte, ok bool) {
	ids, ok = c.lookups[string(bucketBytes(index))][string(prefix)]
	return slices.Clone(ids), ok
}

// rememberLookup records the IDs an index lookup found. Only prefixes
// ending in a NUL byte (an index value, indexKey) are kept: wrote finds
// those among a key's bytes.
func (c *pgCache) rememberLookup(index bucket, prefix []byte, ids [][]byte) {
	if len(prefix) == 0 || prefix[len(prefix)-1] != 0 {
		return
	}
	if c.lookups == nil {
		c.lookups = map[string]map[string][][]byte{}
	}
	bb := string(bucketBytes(index))
	if c.lookups[bb] == nil {
		c.lookups[bb] = map[string][][]byte{}
	}
	c.lookups[bb][string(prefix)] = slices.Clone(ids)
}

// forget drops what is known of the keys of b (written by a statement
// whose effect on each key is not known here).
func (c *pgCache) forget(b bucket) {
	own := string(bucketBytes(b)) + "\x00\x00"
	for k := range c.values {
		if strings.HasPrefix(k, own) {
			delete(c.values, k)
		}
	}
	delete(c.lookups, string(bucketBytes(b)))
}

// emptied records that the transaction deleted bucket b with everything in
// it; everything known is forgotten rather than sorted out.
func (c *pgCache) emptied(b bucket) {
	c.values, c.lookups = nil, nil
	c.fresh = append(c.fresh, bucketBytes(b))
}

// isFresh reports whether b is, or is nested in, a bucket emptied by this
// transaction.
func (c *pgCache) isFresh(b bucket) bool {
	bb := bucketBytes(b)
	for _, f := range c.fresh {
		if bytes.Equal(bb, f) || (len(bb) > len(f) && bytes.HasPrefix(bb, f) && bb[len(f)] == 0) {
			return true
		}
	}
	return false
}
