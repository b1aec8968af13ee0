package auth

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/matchgrid/matchgrid/profiles"
)

// Limiter is a token bucket (golang.org/x/time/rate) per key: a client
// address, a participant, a sign-in target. It forgets keys whose bucket
// is full again, so that a scan of many addresses cannot grow it without
// bound.
type Limiter struct {
	mu      sync.Mutex
	burst   int
	every   rate.Limit
	buckets map[string]*rate.Limiter
	lastGC  time.Time
}

// NewLimiter returns a limiter of burst tokens per key, refilled at one per interval.
func NewLimiter(burst int, interval time.Duration) *Limiter {
	return &Limiter{burst: burst, every: rate.Every(interval), buckets: map[string]*rate.Limiter{}}
}

// Allow takes a token for key and reports whether there was one.
func (l *Limiter) Allow(key string, now time.Time) bool {
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
		b = rate.NewLimiter(l.every, l.burst)
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
	store               *profiles.Store
	byAddress, byTarget profiles.RateLimit
	mu                  sync.Mutex
	lastPrune           time.Time
}

// pruneEvery is how often a process prunes the store's full buckets.
const pruneEvery = time.Minute

// NewGuesses returns the limits matchgrid uses, kept in store: 10 wrong
// guesses per address, then one per 6 s; 50 per target, then one per
// second.
func NewGuesses(store *profiles.Store) *Guesses {
	return &Guesses{store: store,
		byAddress: profiles.RateLimit{Burst: 10, Interval: 6 * time.Second},
		byTarget:  profiles.RateLimit{Burst: 50, Interval: time.Second}}
}

// errLimited rolls back the transaction of a refused guess: it wrote
// nothing worth a commit.
var errLimited = errors.New("limited")

// Wrong records a wrong secret from address at target and reports whether
// either limit is exhausted: the caller answers 429 instead of its usual
// refusal, so that a client guessing on learns that it is being limited.
// A store that cannot be read or written limits too (the error goes to
// the log).
func (g *Guesses) Wrong(address, target string, now time.Time) (limited bool) {
	prune := g.pruneDue(now)
	err := g.store.Update(func(tx *profiles.Tx) error {
		if prune {
			if _, err := tx.PruneRateLimits(now); err != nil {
				return err
			}
		}
		ok, err := tx.TakeTokens(now,
			profiles.RateTake{Limit: g.byAddress, Key: "guess/address/" + address},
			profiles.RateTake{Limit: g.byTarget, Key: "guess/target/" + target})
		if err == nil && !ok && !prune {
			err = errLimited
		}
		limited = !ok
		return err
	})
	if err != nil && !errors.Is(err, errLimited) {
		slog.Warn("auth: counting a wrong secret", "err", err)
		return true
	}
	return limited
}

// pruneDue reports whether this call should prune, at most once per
// pruneEvery in this process.
func (g *Guesses) pruneDue(now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Sub(g.lastPrune) < pruneEvery {
		return false
	}
	g.lastPrune = now
	return true
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
