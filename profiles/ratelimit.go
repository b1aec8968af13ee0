package profiles

import (
	"encoding/binary"
	"fmt"
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
// Writing them records no Change. On PostgreSQL every writer of the bucket
// takes its lock (a top-level bucket), so two servers never both take the
// last token.
var rateLimitsPath = bucket{"ratelimits"}

// TakeTokens takes one token for each take, all or none: ok is false, and
// nothing is written, when any of them has none left by now.
func (tx *Tx) TakeTokens(now time.Time, takes ...RateTake) (ok bool, err error) {
	next := make([][]byte, len(takes))
	for i, tk := range takes {
		if len(tk.Key) == 0 || len(tk.Key) > maxRateKey || tk.Limit.Burst < 1 || tk.Limit.Interval <= 0 {
			return false, fmt.Errorf("rate limit %q (%d per %v): %w", tk.Key, tk.Limit.Burst, tk.Limit.Interval, ErrInvalid)
		}
		raw, err := tx.kv.get(rateLimitsPath, []byte(tk.Key))
		if err != nil {
			return false, fmt.Errorf("rate limit %q: %w", tk.Key, err)
		}
		tat := now
		if len(raw) == 8 {
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
	for i, tk := range takes {
		if err := tx.kv.put(rateLimitsPath, []byte(tk.Key), next[i]); err != nil {
			return false, fmt.Errorf("rate limit %q: %w", tk.Key, err)
		}
	}
	return true, nil
}

// PruneRateLimits deletes the buckets that are full again by now (they
// read the same as no record) and returns how many it deleted, so that
// the store keeps only the limits in use.
func (tx *Tx) PruneRateLimits(now time.Time) (int, error) {
	var doomed [][]byte
	err := tx.kv.scan(rateLimitsPath, everything, func(k, v []byte) error {
		if len(v) != 8 || !time.Unix(0, int64(binary.BigEndian.Uint64(v))).After(now) {
			doomed = append(doomed, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("rate limits: %w", err)
	}
	for _, k := range doomed {
		if err := tx.kv.del(rateLimitsPath, k); err != nil {
			return 0, fmt.Errorf("rate limits: %w", err)
		}
	}
	return len(doomed), nil
}

// RateLimitCount returns how many rate limit buckets the store holds.
func (tx *Tx) RateLimitCount() (int, error) { return tx.kv.count(rateLimitsPath, nil) }
