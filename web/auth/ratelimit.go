package auth

import (
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
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
type Guesses struct {
	byAddress, byTarget *Limiter
}

// NewGuesses returns the limits matchgrid uses: 10 wrong guesses per
// address, then one per 6 s; 50 per target, then one per second.
func NewGuesses() *Guesses {
	return &Guesses{byAddress: NewLimiter(10, 6*time.Second), byTarget: NewLimiter(50, time.Second)}
}

// Wrong records a wrong secret from address at target and reports whether
// either limit is exhausted: the caller answers 429 instead of its usual
// refusal, so that a client guessing on learns that it is being limited.
func (g *Guesses) Wrong(address, target string, now time.Time) (limited bool) {
	a := g.byAddress.Allow(address, now)
	t := g.byTarget.Allow(target, now)
	return !a || !t
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
