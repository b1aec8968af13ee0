package auth

import (
	"sync"
	"time"
)

// Limiter is a token bucket per key (a client address, a participant):
// burst tokens, refilled at one per interval. It forgets idle keys so that
// a scan of many addresses cannot grow it without bound.
type Limiter struct {
	mu       sync.Mutex
	burst    float64
	interval time.Duration
	buckets  map[string]*bucket
	lastGC   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter of burst tokens per key, refilled at one per interval.
func NewLimiter(burst int, interval time.Duration) *Limiter {
	return &Limiter{burst: float64(burst), interval: interval, buckets: map[string]*bucket{}}
}

// Allow takes a token for key and reports whether there was one.
func (l *Limiter) Allow(key string, now time.Time) bool { return l.take(key, now, 1) }

// Ready reports whether key has a token left, without taking it: sign-in
// checks it first and takes a token only for a wrong secret, so that
// clients with the right one are never slowed down.
func (l *Limiter) Ready(key string, now time.Time) bool { return l.take(key, now, 0) }

func (l *Limiter) take(key string, now time.Time, n float64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastGC) > time.Minute {
		full := time.Duration(l.burst) * l.interval
		for k, b := range l.buckets {
			if now.Sub(b.last) > full {
				delete(l.buckets, k)
			}
		}
		l.lastGC = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.last))/float64(l.interval))
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens -= n
	return true
}
