package matcher

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// Benchmarks of the matcher under writes, on pools of 6,000 and 20,000
// organizations. Each measures the matcher as it serves (following the
// store's change reports) beside the baseline of the same run: the same
// matcher on the same store without change reports (pollingStore), which
// is how it worked before the cache followed changes: every write makes it
// read the event whole and compute every ranking again.

func BenchmarkLive6000(b *testing.B)  { benchLive(b, 6000) }
func BenchmarkLive20000(b *testing.B) { benchLive(b, 20000) }

// liveSample is how many participants the warm benchmark asks for, and
// afterWriteSample how many of them write and ask again in turn.
const (
	liveSample       = 100
	afterWriteSample = 20
)

func benchLive(b *testing.B, n int) {
	underServeMemorySettings(b)
	f := openPool(b, n)
	sample := make([]string, liveSample)
	for i := range sample {
		sample[i] = f.people[(i*7919)%len(f.people)]
	}
	modes := []struct {
		name  string
		store Store
	}{{"baseline-reread", pollingStore{f.store}}, {"incremental", f.store}}
	for _, mode := range modes {
		b.Run("warm/"+mode.name, func(b *testing.B) {
			m := newBenchMatcher(b, mode.store)
			for _, p := range sample {
				if _, err := m.Suggest(f.eventID, p, 20); err != nil {
					b.Fatal(err)
				}
			}
			latency(b, sample, func(p string) error { _, err := m.Suggest(f.eventID, p, 20); return err })
		})
	}
	writes := 0 // each run sends from participants not used before
	for _, mode := range modes {
		b.Run("after-write/"+mode.name, func(b *testing.B) {
			m := newBenchMatcher(b, mode.store)
			sample := sample[:afterWriteSample]
			for _, p := range sample {
				if _, err := m.Suggest(f.eventID, p, 20); err != nil {
					b.Fatal(err)
				}
			}
			var d []time.Duration
			for i := 0; b.Loop(); i++ {
				// A request from a participant of the sample: it concerns
				// their own ranking, which the next suggestion must reflect.
				from := sample[i%len(sample)]
				to := f.people[(liveSample+writes)%len(f.people)]
				writes++
				if err := f.store.Update(func(tx *profiles.Tx) error {
					r := &profiles.MeetingRequest{ID: profiles.NewID("req"), EventID: f.eventID, From: from, To: to,
						Status: profiles.RequestDeclined, CreatedAt: time.Now(), UpdatedAt: time.Now()}
					return tx.CreateRequest(r)
				}); err != nil {
					b.Fatal(err)
				}
				t0 := time.Now()
				sug, err := m.Suggest(f.eventID, from, 20)
				if err != nil {
					b.Fatal(err)
				}
				d = append(d, time.Since(t0))
				if slices.ContainsFunc(sug, func(s Suggestion) bool { return s.ParticipantID == to }) {
					b.Fatalf("%s is suggested %s, whom they just declined", from, to)
				}
			}
			reportPercentiles(b, d)
		})
	}
}

// livePeople limits how many participants BenchmarkLiveMemory20000 asks
// for (0: all of them, about 50 minutes on two idle cores).
var livePeople = flag.Int("live.people", 0, "BenchmarkLiveMemory20000 asks only this many participants (0: all)")

// liveMemLimit is the soft memory limit the live benchmarks run under,
// with the collector's percent at 400: serve's defaults (cmd/matchgrid,
// --memory-limit), so that the figures are the server's.
var liveMemLimit = flag.Int64("live.memlimit", 1536, "the live benchmarks run under this soft memory limit in MB and GOGC 400, serve's defaults (0: neither, Go's defaults)")

// underServeMemorySettings sets serve's soft memory limit and collector
// percent (per -live.memlimit) until the benchmark ends.
func underServeMemorySettings(b *testing.B) {
	if *liveMemLimit <= 0 {
		return
	}
	limit := debug.SetMemoryLimit(*liveMemLimit << 20)
	percent := debug.SetGCPercent(400)
	b.Cleanup(func() {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
	})
}

// liveHeapProfile names a file where BenchmarkLiveMemory20000 writes the
// heap profile taken when it measures (the matcher still in use; -memprofile
// is written after it is gone).
var liveHeapProfile = flag.String("live.heapprofile", "", "BenchmarkLiveMemory20000 writes the heap profile at its measurement here")

// BenchmarkLiveMemory20000 asks every participant of the 20,000-organization
// pool for their suggestions once (or -live.people of them), then reports
// the heap and the process's resident memory, beside the same figures
// before the first suggestion.
func BenchmarkLiveMemory20000(b *testing.B) {
	underServeMemorySettings(b)
	b.ReportMetric(float64(*liveMemLimit), "memory-limit-MB")
	f := openPool(b, 20000)
	before := memoryMB()
	b.ReportMetric(before.heap, "heap-before-MB")
	b.ReportMetric(before.rss, "rss-before-MB")
	people := f.people
	if n := *livePeople; n > 0 && n < len(people) {
		people = people[:n]
	}
	for b.Loop() {
		m := newBenchMatcher(b, f.store)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for i := int(next.Add(1)) - 1; i < len(people); i = int(next.Add(1)) - 1 {
					if _, err := m.Suggest(f.eventID, people[i], 20); err != nil {
						b.Error(err)
						return
					}
					if i%1000 == 999 {
						fmt.Fprintf(os.Stderr, "memory benchmark: %d of %d participants asked\n", i+1, len(people))
					}
				}
			})
		}
		wg.Wait()
		b.ReportMetric(float64(len(people)), "participants-asked")
		after := memoryMB()
		b.ReportMetric(after.heap, "heap-after-MB")
		b.ReportMetric(after.rss, "rss-after-MB")
		b.ReportMetric(after.peakRSS, "rss-peak-MB")
		b.ReportMetric(after.anon, "rss-anon-after-MB")
		m.mu.Lock()
		b.ReportMetric(float64(m.rankingBytes)/(1<<20), "cached-rankings-MB") // bounded by Options.CachedRankingBytes
		m.mu.Unlock()
		b.ReportMetric(after.file, "rss-file-after-MB")
		writeHeapProfile(b, *liveHeapProfile)
		runtime.KeepAlive(m)
	}
}

// writeHeapProfile writes the heap profile to path ("" : nothing).
func writeHeapProfile(b *testing.B, path string) {
	if path == "" {
		return
	}
	fh, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	if err := pprof.WriteHeapProfile(fh); err != nil {
		b.Fatal(err)
	}
}

func newBenchMatcher(b *testing.B, s Store) *Matcher {
	m, err := New(s, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(m.Close)
	return m
}

// reportPercentiles reports the p50 and p99 of d in ms.
func reportPercentiles(b *testing.B, d []time.Duration) {
	slices.Sort(d)
	pct := func(p float64) float64 {
		return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// memFigures are memory figures in MB: the heap in use, the process's
// resident memory (VmRSS: anonymous, file-mapped such as the store's
// mapped database, and shared), its peak (VmHWM), and the anonymous and
// file-mapped parts of the resident memory (RssAnon, RssFile).
type memFigures struct{ heap, rss, peakRSS, anon, file float64 }

// memoryMB is the heap in use after a collection and the process's
// resident and peak resident memory (Linux; 0 elsewhere), in MB.
func memoryMB() memFigures {
	debug.FreeOSMemory() // collects, and returns freed memory to the system
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out := memFigures{heap: float64(ms.HeapInuse) / (1 << 20)}
	fh, err := os.Open("/proc/self/status")
	if err != nil {
		return out
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		field := map[string]*float64{"VmRSS": &out.rss, "VmHWM": &out.peakRSS, "RssAnon": &out.anon, "RssFile": &out.file}[name]
		if !ok || field == nil {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			continue
		}
		*field = kb / 1024
	}
	return out
}
