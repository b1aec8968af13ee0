package auth

import (
	"log/slog"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/matchgrid/matchgrid/profiles"
)

// Limiter is a token bucket per key: a participant, a client address.
// By default the buckets are in this process's memory (golang.org/x/time/rate),
// and it forgets keys whose bucket is full again, so that a scan of many
// addresses cannot grow it without bound. InStore moves them into a store
// that several servers share.
type Limiter struct {
	mu       sync.Mutex
	burst    int
	interval time.Duration
	buckets  map[string]*rate.Limiter
	lastGC   time.Time
	// shared, when set, keeps the buckets in the store under name.
	shared *storeBuckets
	name   string
}

// NewLimiter returns a limiter of burst tokens per key, refilled at one per
// interval, kept in memory.
func NewLimiter(burst int, interval time.Duration) *Limiter {
	return &Limiter{burst: burst, interval: interval, buckets: map[string]*rate.Limiter{}}
}

// InStore keeps l's buckets in store, as "name/<key>", when other
// processes write to it too (PostgreSQL, see profiles.Store.Shared), so
// that the limit holds on every server; it returns l. On a store that only
// this process writes (bbolt) the buckets stay in memory: exact there, and
// no write per call.
func (l *Limiter) InStore(store *profiles.Store, name string) *Limiter {
	if store.Shared() {
		l.shared, l.name = newStoreBuckets(store), name
	}
	return l
}

// Allow takes a token for key and reports whether there was one. A store
// that cannot be read or written refuses (the error goes to the log).
func (l *Limiter) Allow(key string, now time.Time) bool {
	if l.shared != nil {
		ok, err := l.shared.take(now, profiles.RateTake{Limit: profiles.RateLimit{Burst: l.burst, Interval: l.interval}, Key: l.name + "/" + key})
		if err != nil {
			slog.Warn("auth: rate limit "+l.name, "err", err)
		}
		return ok
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastGC) > time.Minute {
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
		l.lastGC = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(rate.Every(l.interval), l.burst)
		l.buckets[key] = b
	}
	return b.AllowN(now, 1)
}

// Guesses limits wrong secrets twice: per client address (one client
// trying many secrets) and per target, what was guessed at (the
// organizer, one event's personal links, one calendar: many addresses
// trying one door). Callers check a secret first and report only wrong
// ones, so a right secret is never refused: not after someone else's
// wrong guesses from the same address (everyone behind one proxy without
// --trusted-proxies shares an address), and not after one's own typos.
//
// The counts are kept in the store (profiles.RateLimit), so a limit
// reached through one server holds on every server sharing the store,
// and across restarts. Only counted guesses write: once limited, a wrong
// guess reads and refuses. Buckets full again are pruned, at most once a
// minute per process.
type Guesses struct {
	buckets             *storeBuckets
	byAddress, byTarget profiles.RateLimit
}

// NewGuesses returns the limits matchgrid uses, kept in store: 10 wrong
// guesses per address, then one per 6 s; 50 per target, then one per
// second.
func NewGuesses(store *profiles.Store) *Guesses {
	return &Guesses{buckets: newStoreBuckets(store),
		byAddress: profiles.RateLimit{Burst: 10, Interval: 6 * time.Second},
		byTarget:  profiles.RateLimit{Burst: 50, Interval: time.Second}}
}

// Wrong records a wrong secret from address at target and reports whether
// either limit is exhausted: the caller answers 429 instead of its usual
// refusal, so that a client guessing on learns that it is being limited.
// A store that cannot be read or written limits too (the error goes to
// the log).
func (g *Guesses) Wrong(address, target string, now time.Time) (limited bool) {
	ok, err := g.buckets.take(now,
		profiles.RateTake{Limit: g.byAddress, Key: "guess/address/" + address},
		profiles.RateTake{Limit: g.byTarget, Key: "guess/target/" + target})
	if err != nil {
		slog.Warn("auth: counting a wrong secret", "err", err)
	}
	return !ok
}

// PerParticipant returns middleware that takes a token of l for the
// participant making the request (the organizer is not limited) and, when
// there is none left, calls refuse instead of the handler. The API and the
// pages share one limiter, so that neither is a way around the other.
func (l *Limiter) PerParticipant(refuse gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		v := ViewerOf(c)
		if v.IsParticipant() && !l.Allow(v.Event+"/"+v.Participant, time.Now()) {
			c.Header("Retry-After", "10")
			refuse(c)
			c.Abort()
			return
		}
		c.Next()
	}
}

// NewEditLimiter returns the limit on creating and editing opportunities
// and profiles: 30 writes per participant, then one per 10 seconds.
func NewEditLimiter() *Limiter { return NewLimiter(30, 10*time.Second) }
