package main

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// openLoop calls fn for the i-th arrival at start + i/rate until d has
// passed, each call in its own goroutine, whether or not the earlier ones
// have finished: arrivals are fixed, so a slow server makes requests queue
// and the wait shows in the latencies (measured from the planned arrival,
// not from when a busy client got round to sending). It returns when every
// call has returned.
func openLoop(ctx context.Context, rate float64, d time.Duration, fn func(i int, at time.Time)) time.Duration {
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	timer := time.NewTimer(0)
	defer timer.Stop()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if !at.Before(deadline) {
			break
		}
		timer.Reset(time.Until(at))
		select {
		case <-ctx.Done():
			wg.Wait()
			return time.Since(start)
		case <-timer.C:
		}
		wg.Go(func() { fn(i, at) })
	}
	wg.Wait()
	return time.Since(start)
}

// runRate loads targets open-loop at rate requests per second for d, the
// arrivals taking the targets in turn. Request i of target t asks what
// client i%clients would ask in its (i/clients)-th turn, so the same
// participants are asked for as in the closed loop.
func runRate(ctx context.Context, client *http.Client, base string, clients int, rate float64, d time.Duration, targets []loadTarget) []loadResult {
	tallies := make([]tally, len(targets))
	var mu sync.Mutex
	elapsed := openLoop(ctx, rate, d, func(i int, at time.Time) {
		ti := i % len(targets)
		n := i / len(targets)
		path, token := targets[ti].request(n%clients, n/clients)
		status, _, err := doLoadRequest(ctx, client, base+path, token)
		took := time.Since(at)
		if ctx.Err() != nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		tallies[ti].record(took, status, err)
	})
	results := make([]loadResult, len(targets))
	for ti, t := range targets {
		example, _ := t.request(0, 0)
		results[ti] = tallies[ti].result(t.name, example, 0, elapsed)
		results[ti].Rate = rate / float64(len(targets))
	}
	return results
}
