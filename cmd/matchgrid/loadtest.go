package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
)

const benchHTTPSynopsis = `bench http [--clients 50 | --rate N] [--writes N] [--duration 30s] [--participants N] [--endpoints suggestions,search,healthz] [--mixed] [--json]
       matchgrid bench http --url http://HOST:PORT [--organizer-secret S] ...`

// loadEndpoints are the endpoints bench http knows, in the order it runs them.
var loadEndpoints = []string{"suggestions", "search", "healthz"}

// benchHTTP is `matchgrid bench http`: a load generator for the JSON API.
// By default it loads the demo event into a temporary directory, serves it
// on loopback in this process and measures it there; with --url it loads a
// running server instead.
func benchHTTP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench http", benchHTTPSynopsis, stderr)
	base := fs.String("url", "", "base `URL` of a running server that holds the demo event (default: serve the demo event on loopback in this process)")
	secret := fs.String("organizer-secret", "", "with --url: the organizer's `secret` (default $"+organizerSecretEnv+"); the clients ask for participants' suggestions as the organizer, since a running server's personal-link secrets are not known")
	clients := fs.Int("clients", 50, "concurrent clients (each one participant, on its own keep-alive connection)")
	duration := fs.Duration("duration", 30*time.Second, "how long each endpoint is loaded (with --mixed: all of them together)")
	participants := fs.Int("participants", 0, "distinct participants whose suggestions are asked for, in turn (default: one per client)")
	limit := fs.Int("limit", 20, "suggestions asked for per request")
	endpoints := listFlag{}
	fs.Var(&endpoints, "endpoints", "`endpoints` to load, comma-separated, from "+strings.Join(loadEndpoints, ",")+" (default all; healthz is the baseline: the server's cheapest answer under the same load)")
	mixed := fs.Bool("mixed", false, "load all endpoints at once, each client cycling through them, instead of one after another")
	asJSON := fs.Bool("json", false, "one JSON object per endpoint and line instead of a table")
	rate := fs.Float64("rate", 0, "open loop: `N` requests per second at fixed arrivals, whatever the answers' pace (queueing shows in the percentiles), instead of --clients clients each waiting for its answer")
	writes := fs.Float64("writes", 0, "`N` writes per second alongside the reads, from clients of their own: send, accept and decline meeting requests, edit opportunities; reported as endpoint writes, and every acknowledged write is looked for in the store afterwards (not with --url)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load (after the server is ready, so without the demo's loading) to `FILE`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("bench http: unexpected argument %q", fs.Arg(0))}
	}
	if *clients < 1 {
		return usageError{fmt.Sprintf("bench http: --clients %d must be at least 1", *clients)}
	}
	if *duration <= 0 {
		return usageError{fmt.Sprintf("bench http: --duration %v must be positive", *duration)}
	}
	if *limit < 1 {
		return usageError{fmt.Sprintf("bench http: --limit %d must be at least 1", *limit)}
	}
	if *rate < 0 || *writes < 0 {
		return usageError{fmt.Sprintf("bench http: --rate %v and --writes %v must not be negative", *rate, *writes)}
	}
	if *writes > 0 && *base != "" {
		return usageError{"bench http: --writes needs the participants' own links, so it runs on the demo served in this process, not with --url"}
	}
	if *participants == 0 {
		*participants = *clients
	}
	if *participants < 1 {
		return usageError{fmt.Sprintf("bench http: --participants %d must be at least 1", *participants)}
	}
	if len(endpoints) == 0 {
		endpoints = loadEndpoints
	}
	for _, e := range endpoints {
		if !slices.Contains(loadEndpoints, e) {
			return usageError{fmt.Sprintf("bench http: --endpoints: unknown endpoint %q, want some of %s", e, strings.Join(loadEndpoints, ","))}
		}
	}

	var (
		tokens []participantToken
		writer *writeLoad
		store  *profiles.Store
	)
	if *base == "" {
		srv, err := serveDemoForLoad(ctx, "", *participants, *writes > 0, stderr)
		if err != nil {
			return err
		}
		defer srv.stop()
		*base, tokens = srv.base, srv.tokens
		if *writes > 0 {
			wclient := loadClient(4)
			defer wclient.CloseIdleConnections()
			if writer, err = planWrites(srv.eng.Store(), demo.EventID, srv.base, wclient, srv.allTokens); err != nil {
				return err
			}
			store = srv.eng.Store()
		}
	} else {
		if *secret == "" {
			*secret = os.Getenv(organizerSecretEnv)
		}
		if *secret == "" {
			return usageError{"bench http: --url needs the organizer's secret (--organizer-secret or $" + organizerSecretEnv + ")"}
		}
		u, err := url.Parse(*base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{fmt.Sprintf("bench http: --url %q is not an http(s) URL", *base)}
		}
		*base = strings.TrimSuffix(*base, "/")
		if tokens, err = organizerTokens(ctx, *base, *secret, *participants); err != nil {
			return err
		}
	}

	queries, err := demoQueries()
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	targets := map[string]loadTarget{
		"suggestions": suggestionsTarget(demo.EventID, tokens, *clients, *limit),
		"search":      searchTarget(demo.EventID, tokens, queries),
		"healthz":     {name: "healthz", request: func(int, int) (string, string) { return "/healthz", "" }},
	}
	var rounds [][]loadTarget
	if *mixed {
		var all []loadTarget
		for _, e := range endpoints {
			all = append(all, targets[e])
		}
		rounds = append(rounds, all)
	} else {
		for _, e := range endpoints {
			rounds = append(rounds, []loadTarget{targets[e]})
		}
	}

	client := loadClient(*clients)
	defer client.CloseIdleConnections()
	var results []loadResult
	for _, round := range rounds {
		warmUp(ctx, client, *base, *clients, round)
		load := fmt.Sprintf("%d clients", *clients)
		if *rate > 0 {
			load = fmt.Sprintf("%g requests/s", *rate)
		}
		if writer != nil {
			load += fmt.Sprintf(", %g writes/s", *writes)
		}
		fmt.Fprintf(stderr, "bench http: %s: %s for %v\n", roundName(round), load, *duration)
		var wrote loadResult
		var wg sync.WaitGroup
		if writer != nil {
			wg.Go(func() { wrote = writer.run(ctx, *writes, *duration) })
		}
		if *rate > 0 {
			results = append(results, runRate(ctx, client, *base, *clients, *rate, *duration, round)...)
		} else {
			results = append(results, runLoad(ctx, client, *base, *clients, *duration, round)...)
		}
		wg.Wait()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if writer != nil {
			results = append(results, wrote)
		}
	}
	if writer != nil {
		verified, lost, err := writer.verify(store)
		if err != nil {
			return err
		}
		last := &results[len(results)-1]
		last.Verified, last.Lost = verified, lost
		fmt.Fprintf(stderr, "bench http: %d acknowledged writes looked for in the store: %d there, %d missing\n", verified+lost, verified, lost)
	}
	if err := writeLoadResults(stdout, results, *asJSON); err != nil {
		return err
	}
	failed, lost := 0, 0
	for _, r := range results {
		failed += r.Errors
		lost += r.Lost
	}
	if failed > 0 || lost > 0 {
		return fmt.Errorf("%d requests failed, %d acknowledged writes missing from the store", failed, lost)
	}
	return nil
}

// participantToken is one participant the load is run for, with the bearer
// token that authenticates the requests made for them.
type participantToken struct{ participant, token string }

// loadServer is the demo event served in this process for bench http.
type loadServer struct {
	base      string
	eng       *matchgrid.Engine
	tokens    []participantToken // the participants with fresh personal links
	allTokens map[string]string  // with writes: every participant's bearer token
	stop      func()             // shuts the server down and removes its data
}

// serveDemoForLoad loads the demo event into dir (a temporary directory,
// removed at stop, when dir is empty; a directory that holds the demo
// already is used as it is), gives n participants fresh personal-link
// secrets and serves the directory on a loopback port. With all, every
// participant gets a secret (writes act as senders, receivers and
// publishers).
func serveDemoForLoad(ctx context.Context, dir string, n int, all bool, stderr io.Writer) (*loadServer, error) {
	// The server in this process runs under serve's memory settings, so
	// that the figures are those of the server people run.
	setMemoryLimit(defaultMemoryLimitMB)
	remove := func() {}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "matchgrid-bench-http-*")
		if err != nil {
			return nil, err
		}
		dir, remove = tmp, func() { os.RemoveAll(tmp) }
	}
	eng, err := openEngine(&dataFlags{dir: dir}, stderr)
	if err != nil {
		remove()
		return nil, err
	}
	cleanup := func() { eng.Close(); remove() }
	fail := func(err error) (*loadServer, error) { cleanup(); return nil, err }
	if err := loadDemo(eng, stderr, stderr); err != nil {
		return fail(err)
	}
	tokens, err := issueLoadLinks(eng, demo.EventID, n, all)
	if err != nil {
		return fail(err)
	}
	// The index follows the store in the background: the setup's writes
	// (the demo, the links) are indexed before the load starts.
	ix, err := eng.Index()
	if err != nil {
		return fail(err)
	}
	ix.Sync()
	var allTokens map[string]string
	if all {
		allTokens = map[string]string{}
		for _, t := range tokens {
			allTokens[t.participant] = t.token
		}
		tokens = tokens[:n]
	}
	// The server logs every request as the real one does, into the void: the
	// cost of the log line is part of what is measured.
	srv, err := web.New(eng, web.Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(fmt.Errorf("listen: %w", err))
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	stop := func() {
		cancel()
		if err := <-done; err != nil {
			fmt.Fprintf(stderr, "bench http: server: %v\n", err)
		}
		cleanup()
	}
	return &loadServer{base: "http://" + ln.Addr().String(), eng: eng, tokens: tokens, allTokens: allTokens, stop: stop}, nil
}

// issueLoadLinks gives the first n participants of an event (in ID order),
// or all of them, new personal-link secrets and returns them as bearer
// tokens, in ID order.
func issueLoadLinks(eng *matchgrid.Engine, eventID string, n int, all bool) ([]participantToken, error) {
	var ids []string
	err := eng.Store().View(func(tx *profiles.Tx) error {
		ps, err := tx.Participants(eventID)
		if err != nil {
			return err
		}
		if len(ps) < n {
			return usageError{fmt.Sprintf("bench http: --participants %d: the event %s has only %d participants", n, eventID, len(ps))}
		}
		if all {
			n = len(ps)
		}
		for _, p := range ps[:n] {
			ids = append(ids, p.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	links, err := eng.IssueLinks(eventID, ids)
	if err != nil {
		return nil, err
	}
	tokens := make([]participantToken, len(links))
	for i, l := range links {
		tokens[i] = participantToken{participant: l.ParticipantID, token: l.Secret}
	}
	return tokens, nil
}

// organizerTokens lists the first n participants of the demo event on a
// running server; the requests made for each carry the organizer's secret.
func organizerTokens(ctx context.Context, base, secret string, n int) ([]participantToken, error) {
	var tokens []participantToken
	for len(tokens) < n {
		u := fmt.Sprintf("%s/api/v1/events/%s/participants?limit=%d&offset=%d", base, url.PathEscape(demo.EventID), min(n-len(tokens), 100), len(tokens))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("bench http: list participants: %w", err)
		}
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		err = json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("bench http: list participants: %s answered %s (is the organizer secret right?)", u, resp.Status)
		}
		if err != nil {
			return nil, fmt.Errorf("bench http: list participants: %w", err)
		}
		if len(page.Items) == 0 {
			return nil, fmt.Errorf("bench http: --participants %d: the event %s has only %d participants", n, demo.EventID, len(tokens))
		}
		for _, it := range page.Items {
			tokens = append(tokens, participantToken{participant: it.ID, token: secret})
		}
	}
	return tokens[:n], nil
}

// loadTarget is one endpoint under load. request returns the path (with
// query) and bearer token ("" for none) of the iter-th request of a client.
type loadTarget struct {
	name    string
	request func(client, iter int) (path, token string)
	// warm is how many turns each client takes in the warm-up so that
	// every distinct request is made once (0: one).
	warm int
}

// suggestionsTarget asks for participants' suggestions: client c starts
// with participant c and, when there are more participants than clients,
// moves on by the number of clients each time, so that every participant
// is asked for and no two clients ask for the same one at once.
func suggestionsTarget(eventID string, tokens []participantToken, clients, limit int) loadTarget {
	return loadTarget{name: "suggestions", request: func(client, iter int) (string, string) {
		t := tokens[(client+iter*clients)%len(tokens)]
		return fmt.Sprintf("/api/v1/events/%s/participants/%s/suggestions?limit=%d", url.PathEscape(eventID), url.PathEscape(t.participant), limit), t.token
	}, warm: (len(tokens) + clients - 1) / clients}
}

// searchTarget runs marketplace searches, each client walking the query
// list from its own starting point so that the clients' queries differ.
func searchTarget(eventID string, tokens []participantToken, queries []string) loadTarget {
	return loadTarget{name: "search", request: func(client, iter int) (string, string) {
		q := queries[(client*7+iter)%len(queries)]
		return fmt.Sprintf("/api/v1/events/%s/search?%s", url.PathEscape(eventID), q), tokens[client%len(tokens)].token
	}}
}

// demoQueries makes marketplace searches from the demo event's own
// vocabulary: the keywords of its opportunities and the sectors of its
// organizations, alone or in pairs, some narrowed by kind or country, all
// asking for the kind and country facets. They are made once per process
// (decoding the demo takes seconds) and shared: callers do not modify them.
var demoQueries = sync.OnceValues(makeDemoQueries)

// makeDemoQueries is the work of demoQueries.
func makeDemoQueries() ([]string, error) {
	b, err := demo.Bundle()
	if err != nil {
		return nil, fmt.Errorf("demo event: %w", err)
	}
	seen := map[string]int{}
	for _, o := range b.Opportunities {
		for _, k := range o.Keywords {
			seen[strings.ToLower(k)]++
		}
	}
	for _, o := range b.Organizations {
		for _, s := range o.Sectors {
			seen[strings.ToLower(s)]++
		}
	}
	var terms []string
	for t, n := range seen {
		if n >= 3 { // terms that several profiles share: the ones people search for
			terms = append(terms, t)
		}
	}
	sort.Strings(terms)
	kinds, countries := map[string]bool{}, map[string]bool{}
	for _, o := range b.Organizations {
		kinds[string(o.Kind)], countries[o.Country] = true, true
	}
	kindList, countryList := sortedKeys(kinds), sortedKeys(countries)
	rng := rand.New(rand.NewPCG(2027, 9)) // fixed: every run sends the same queries
	rng.Shuffle(len(terms), func(i, j int) { terms[i], terms[j] = terms[j], terms[i] })
	queries := make([]string, 0, len(terms))
	for i, t := range terms {
		v := url.Values{"q": {t}, "facets": {"kind,country"}}
		switch {
		case i%3 == 1:
			v.Set("q", t+" "+terms[(i+1)%len(terms)])
		case i%5 == 2:
			v.Set("kind", kindList[rng.IntN(len(kindList))])
		case i%7 == 3:
			v.Set("country", countryList[rng.IntN(len(countryList))])
		}
		queries = append(queries, v.Encode())
	}
	if len(queries) == 0 {
		return nil, errors.New("demo event: no keywords to search for")
	}
	return queries, nil
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// loadClient is an HTTP client that keeps one connection per client open,
// as browsers and API clients do, so that connection set-up is not what is
// measured.
func loadClient(clients int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil, // loopback: never through a proxy from the environment
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        2 * clients,
			MaxIdleConnsPerHost: 2 * clients,
			IdleConnTimeout:     90 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// warmUp has the clients make every distinct request of each target once
// (every participant's suggestions), unmeasured, so that what is measured
// is the steady state: connections open, and the first-time work of each
// participant and search (loading the matcher, caches) done.
func warmUp(ctx context.Context, client *http.Client, base string, clients int, targets []loadTarget) {
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for _, t := range targets {
				for iter := range max(t.warm, 1) {
					path, token := t.request(c, iter)
					_, _, _ = doLoadRequest(ctx, client, base+path, token)
				}
			}
		})
	}
	wg.Wait()
}

// loadResult is what one endpoint did under load; latencies in milliseconds.
type loadResult struct {
	Endpoint string         `json:"endpoint"`
	Example  string         `json:"example"`        // one request's path, secrets excluded
	Clients  int            `json:"clients"`        // concurrent clients; 0 in the open loop
	Rate     float64        `json:"rate,omitempty"` // planned arrivals per second (open loop and writes)
	Seconds  float64        `json:"seconds"`
	Requests int            `json:"requests"`
	Errors   int            `json:"errors"`
	RPS      float64        `json:"rps"`
	P50      float64        `json:"p50_ms"`
	P90      float64        `json:"p90_ms"`
	P99      float64        `json:"p99_ms"`
	Max      float64        `json:"max_ms"`
	Failures map[string]int `json:"failures,omitempty"` // errors by HTTP status or "transport"
	Sample   string         `json:"error_sample,omitempty"`
	// Verified counts the acknowledged writes found in the store afterwards
	// (endpoint "writes" only); Lost the ones that were not.
	Verified int `json:"verified,omitempty"`
	Lost     int `json:"lost,omitempty"`
}

// tally is one client's record of one endpoint.
type tally struct {
	latencies []time.Duration
	errors    int
	failures  map[string]int
	sample    string
}

// runLoad runs clients concurrent clients against targets for d: each
// client sends one request after another, cycling through the targets, and
// stops sending at the deadline (requests in flight then finish and count).
// Every answer other than 2xx, and every transport error, is an error.
func runLoad(ctx context.Context, client *http.Client, base string, clients int, d time.Duration, targets []loadTarget) []loadResult {
	tallies := make([][]tally, clients)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for c := range clients {
		tallies[c] = make([]tally, len(targets))
		wg.Go(func() {
			mine := tallies[c]
			for iter := 0; ctx.Err() == nil && time.Now().Before(deadline); iter++ {
				ti := (c + iter) % len(targets)
				path, token := targets[ti].request(c, iter/len(targets))
				status, elapsed, err := doLoadRequest(ctx, client, base+path, token)
				if ctx.Err() != nil {
					return // interrupted: not the server's failure
				}
				mine[ti].record(elapsed, status, err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	results := make([]loadResult, len(targets))
	for ti, t := range targets {
		var all tally
		for c := range clients {
			all.merge(&tallies[c][ti])
		}
		example, _ := t.request(0, 0)
		results[ti] = all.result(t.name, example, clients, elapsed)
	}
	return results
}

// record counts one answer (or transport failure) and its latency.
func (tl *tally) record(took time.Duration, status int, err error) {
	tl.latencies = append(tl.latencies, took)
	key := ""
	switch {
	case err != nil:
		key = "transport"
	case status < 200 || status > 299:
		key = strconv.Itoa(status)
	}
	if key == "" {
		return
	}
	tl.errors++
	if tl.failures == nil {
		tl.failures = map[string]int{}
	}
	tl.failures[key]++
	if tl.sample == "" {
		tl.sample = fmt.Sprintf("%s: %s", key, errorText(err, status))
	}
}

// merge adds o's record to tl's.
func (tl *tally) merge(o *tally) {
	tl.latencies = append(tl.latencies, o.latencies...)
	tl.errors += o.errors
	for k, n := range o.failures {
		if tl.failures == nil {
			tl.failures = map[string]int{}
		}
		tl.failures[k] += n
	}
	if tl.sample == "" {
		tl.sample = o.sample
	}
}

// result sums the record up over elapsed.
func (tl *tally) result(endpoint, example string, clients int, elapsed time.Duration) loadResult {
	r := loadResult{Endpoint: endpoint, Example: example, Clients: clients, Seconds: round2(elapsed.Seconds()),
		Requests: len(tl.latencies), Errors: tl.errors, Failures: tl.failures, Sample: tl.sample}
	r.RPS = round2(float64(r.Requests) / elapsed.Seconds())
	all := slices.Clone(tl.latencies)
	slices.Sort(all)
	r.P50, r.P90, r.P99 = percentileMs(all, 0.50), percentileMs(all, 0.90), percentileMs(all, 0.99)
	if len(all) > 0 {
		r.Max = ms(all[len(all)-1])
	}
	return r
}

func errorText(err error, status int) string {
	if err != nil {
		return err.Error()
	}
	return http.StatusText(status)
}

// doLoadRequest sends one GET and reads the whole answer (as a client
// would, and so that the connection is reused). The latency runs from
// sending to the last byte of the body.
func doLoadRequest(ctx context.Context, client *http.Client, u, token string) (status int, elapsed time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, time.Since(start), err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), err
}

// percentileMs is the nearest-rank percentile p of sorted latencies, in ms.
func percentileMs(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return ms(sorted[max(0, min(i, len(sorted)-1))])
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*100) / 100 }

func roundName(targets []loadTarget) string {
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.name
	}
	return strings.Join(names, "+")
}

// writeLoadResults prints the results as a table or as JSON lines.
func writeLoadResults(w io.Writer, results []loadResult, asJSON bool) error {
	if asJSON {
		return writeJSONLines(w, results)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\tload\tseconds\trequests\terrors\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\t")
	for _, r := range results {
		load := fmt.Sprintf("%d clients", r.Clients)
		if r.Rate > 0 {
			load = fmt.Sprintf("%g/s", r.Rate)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t\n", r.Endpoint, load, r.Seconds, r.Requests, r.Errors, r.RPS, r.P50, r.P90, r.P99, r.Max)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		if r.Endpoint == "writes" {
			fmt.Fprintf(w, "writes: %s; afterwards %d acknowledged writes in the store, %d missing\n", r.Example, r.Verified, r.Lost)
		} else {
			fmt.Fprintf(w, "%s: e.g. GET %s\n", r.Endpoint, r.Example)
		}
		if r.Errors > 0 {
			fmt.Fprintf(w, "  errors by kind: %v; first: %s\n", r.Failures, r.Sample)
		}
	}
	if slices.ContainsFunc(results, func(r loadResult) bool { return r.Endpoint == "healthz" }) {
		fmt.Fprintln(w, "healthz is the baseline: the cheapest answer the server gives, under the same load from the same clients")
	}
	return nil
}

// startCPUProfile writes a CPU profile to path until the returned
// function is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench http: --cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench http: --cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
