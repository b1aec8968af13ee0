package profiles

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
)

// RateLimit is a token bucket kept in the store, so that it holds on every
// server sharing it (and across restarts): Burst tokens, refilled at one
// per Interval.
type RateLimit struct {
	Burst    int
	Interval time.Duration
}

// RateTake asks for one token of Limit for Key (what is limited: a client
// address, a sign-in target). Keys of different limits must differ.
type RateTake struct {
	Limit RateLimit
	Key   string
}

// maxRateKey bounds a rate key's length; a longer one is refused.
const maxRateKey = 512

// Rate limits are one key per bucket that is not full, holding the
// bucket's theoretical arrival time (GCRA): the time at which it is full
// again, as Unix nanoseconds, big-endian. A bucket full again by now
// holds nothing worth keeping, so PruneRateLimits deletes it:
//
//	ratelimits/<key> -> 8 bytes
//
// Writing them records no Change. On PostgreSQL a taker locks each key it
// takes from (in key order), so two servers never both take the last
// token, and takers of different keys do not wait for each other; a
// taker writes its keys in key order, the order in which pruning (a
// conditional delete, delIf) locks the rows it deletes.
var rateLimitsPath = bucket{"ratelimits"}

// TakeTokens takes one token for each take, all or none: ok is false, and
// nothing is written, when any of them has none left by now.
func (tx *Tx) TakeTokens(now time.Time, takes ...RateTake) (ok bool, err error) {
	keys := make([][]byte, len(takes))
	for i, tk := range takes {
		if len(tk.Key) == 0 || len(tk.Key) > maxRateKey || tk.Limit.Burst < 1 || tk.Limit.Interval <= 0 {
			return false, fmt.Errorf("rate limit %q (%d per %v): %w", tk.Key, tk.Limit.Burst, tk.Limit.Interval, ErrInvalid)
		}
		keys[i] = []byte(tk.Key)
	}
	if err := tx.lockRateKeys(takes); err != nil {
		return false, err
	}
	raws, err := tx.kv.getMany(rateLimitsPath, keys)
	if err != nil {
		return false, fmt.Errorf("rate limits: %w", err)
	}
	next := make([][]byte, len(takes))
	for i, tk := range takes {
		tat := now
		if raw := raws[i]; len(raw) == 8 {
			if stored := time.Unix(0, int64(binary.BigEndian.Uint64(raw))); stored.After(now) {
				tat = stored
			}
		}
		tat = tat.Add(tk.Limit.Interval)
		if tat.Sub(now) > time.Duration(tk.Limit.Burst)*tk.Limit.Interval {
			return false, nil
		}
		next[i] = binary.BigEndian.AppendUint64(nil, uint64(tat.UnixNano()))
	}
	// Written in key order, the order in which a prune locks rows, so that
	// a taker and a pruner never wait for each other in a cycle.
	order := make([]int, len(takes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(keys[a], keys[b]) })
	for _, i := range order {
		tk := takes[i]
		if err := tx.kv.put(rateLimitsPath, keys[i], next[i]); err != nil {
			return false, fmt.Errorf("rate limit %q: %w", tk.Key, err)
		}
	}
	return true, nil
}

// lockRateKeys takes the lock of each key, in key order (so that two
// takers of the same keys never wait for each other in a cycle).
func (tx *Tx) lockRateKeys(takes []RateTake) error {
	if !tx.Writable() {
		return nil
	}
	names := make([]string, len(takes))
	for i, tk := range takes {
		names[i] = "ratelimit/" + tk.Key
	}
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		if err := tx.kv.lock(name); err != nil {
			return fmt.Errorf("rate limits: %w", err)
		}
	}
	return nil
}

// PruneRateLimits deletes the buckets that are full again by now (they
// read the same as no record) and returns how many it deleted, so that
// the store keeps only the limits in use. A bucket that a taker changes
// meanwhile is judged by its new value.
func (tx *Tx) PruneRateLimits(now time.Time) (int, error) {
	// A bucket is full again once its time (big-endian, so ordered as
	// bytes) is not after now.
	n, err := tx.kv.delIf(rateLimitsPath, binary.BigEndian.AppendUint64(nil, uint64(now.UnixNano())))
	if err != nil {
		return 0, fmt.Errorf("rate limits: %w", err)
	}
	return n, nil
}

// RateLimitCount returns how many rate limit buckets the store holds.
func (tx *Tx) RateLimitCount() (int, error) { return tx.kv.count(rateLimitsPath, nil) }
