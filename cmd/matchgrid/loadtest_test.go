package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
)

// serveEmpty serves an empty data directory on loopback and returns its
// base URL; the server stops at cleanup.
func serveEmpty(t *testing.T) string {
	t.Helper()
	eng, err := matchgrid.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	srv, err := web.New(eng, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// closedPort returns the address of a loopback port nobody listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func fixedTarget(name, path string) loadTarget {
	return loadTarget{name: name, request: func(int, int) (string, string) { return path, "" }}
}

// TestRunLoadCountsRequestsAndErrors runs the load generator for a moment
// against a real server: answers that are not 2xx and transport failures
// count as errors, by kind, and good answers do not.
func TestRunLoadCountsRequestsAndErrors(t *testing.T) {
	base := serveEmpty(t)
	tests := []struct {
		name    string
		base    string
		targets []loadTarget
		// failure kind expected of every request per target; "" for none
		want []string
	}{
		{"healthy", base, []loadTarget{fixedTarget("healthz", "/healthz")}, []string{""}},
		{"not found", base, []loadTarget{fixedTarget("missing", "/api/v1/no-such-endpoint")}, []string{"404"}},
		{"mixed", base, []loadTarget{fixedTarget("healthz", "/healthz"), fixedTarget("unauthorized", "/api/v1/events/x/participants")}, []string{"", "401"}},
		{"nobody listening", closedPort(t), []loadTarget{fixedTarget("healthz", "/healthz")}, []string{"transport"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := loadClient(3)
			defer client.CloseIdleConnections()
			results := runLoad(context.Background(), client, tt.base, 3, 300*time.Millisecond, tt.targets)
			if len(results) != len(tt.targets) {
				t.Fatalf("%d results for %d targets", len(results), len(tt.targets))
			}
			for i, r := range results {
				if r.Endpoint != tt.targets[i].name || r.Clients != 3 {
					t.Errorf("result %d is for %q with %d clients", i, r.Endpoint, r.Clients)
				}
				if r.Requests == 0 || r.RPS <= 0 {
					t.Fatalf("%s: %d requests, %v/s: the clients sent nothing", r.Endpoint, r.Requests, r.RPS)
				}
				if tt.want[i] == "" {
					if r.Errors != 0 || r.Failures != nil || r.Sample != "" {
						t.Errorf("%s: %d errors %v (%s) for good answers", r.Endpoint, r.Errors, r.Failures, r.Sample)
					}
				} else {
					if r.Errors != r.Requests || r.Failures[tt.want[i]] != r.Requests || len(r.Failures) != 1 {
						t.Errorf("%s: %d errors %v of %d requests, want all %q", r.Endpoint, r.Errors, r.Failures, r.Requests, tt.want[i])
					}
					if !strings.HasPrefix(r.Sample, tt.want[i]+": ") {
						t.Errorf("%s: error sample %q does not name the failure", r.Endpoint, r.Sample)
					}
				}
				if !(r.P50 <= r.P90 && r.P90 <= r.P99 && r.P99 <= r.Max) {
					t.Errorf("%s: percentiles out of order: %v %v %v %v", r.Endpoint, r.P50, r.P90, r.P99, r.Max)
				}
			}
			if len(results) == 2 {
				// Each client alternates, so the two targets' counts differ by at most one per client.
				if d := results[0].Requests - results[1].Requests; d < -3 || d > 3 {
					t.Errorf("mixed load is uneven: %d and %d requests", results[0].Requests, results[1].Requests)
				}
			}
		})
	}
}

// TestSuggestionsTargetSpreadsParticipants: with as many participants as
// clients each client keeps its own; with more, every one is asked for and
// no two clients ask for the same one in the same round.
func TestSuggestionsTargetSpreadsParticipants(t *testing.T) {
	tests := []struct{ participants, clients int }{{4, 4}, {5, 2}, {7, 3}}
	for _, tt := range tests {
		tokens := make([]participantToken, tt.participants)
		for i := range tokens {
			tokens[i] = participantToken{participant: fmt.Sprintf("p-%d", i), token: fmt.Sprintf("s-%d", i)}
		}
		target := suggestionsTarget("ev", tokens, tt.clients, 20)
		asked := map[string]bool{}
		for iter := range tt.participants {
			round := map[string]bool{}
			for c := range tt.clients {
				path, token := target.request(c, iter)
				p := strings.TrimSuffix(strings.TrimPrefix(path, "/api/v1/events/ev/participants/"), "/suggestions?limit=20")
				if token != "s-"+strings.TrimPrefix(p, "p-") {
					t.Fatalf("%v: %s asked for with token %s", tt, p, token)
				}
				if tt.participants == tt.clients && p != fmt.Sprintf("p-%d", c) {
					t.Errorf("%v: client %d asks for %s", tt, c, p)
				}
				if round[p] && tt.participants >= tt.clients {
					t.Errorf("%v: two clients ask for %s in round %d", tt, p, iter)
				}
				round[p], asked[p] = true, true
			}
		}
		if len(asked) != tt.participants {
			t.Errorf("%v: %d of %d participants asked for", tt, len(asked), tt.participants)
		}
	}
}

func TestPercentileMs(t *testing.T) {
	lat := make([]time.Duration, 100)
	for i := range lat {
		lat[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		p    float64
		want float64
	}{{0.50, 50}, {0.90, 90}, {0.99, 99}, {1, 100}, {0.001, 1}}
	for _, tt := range tests {
		if got := percentileMs(lat, tt.p); got != tt.want {
			t.Errorf("p%v = %v ms, want %v", tt.p*100, got, tt.want)
		}
	}
	if got := percentileMs(nil, 0.5); got != 0 {
		t.Errorf("p50 of nothing = %v", got)
	}
}

// TestBenchHTTPOnTheDemo serves the demo event as bench http does, loads
// it for a moment with the participants' personal links, then runs the
// command against it by --url as the organizer: the API answers every
// request of every endpoint.
func TestBenchHTTPOnTheDemo(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the demo event")
	}
	ctx := context.Background()
	go demoQueries() // decoding the demo takes seconds: meanwhile the fixture is made
	var log bytes.Buffer
	srv, err := serveDemoForLoad(ctx, demoData(t), 6, true, &log)
	if err != nil {
		t.Fatalf("%v\n%s", err, tail(log.String(), 2000))
	}
	defer srv.stop()

	// The personal links work, each for its own participant only.
	seen := map[string]bool{}
	for _, tok := range srv.tokens {
		seen[tok.participant] = true
	}
	if len(srv.tokens) != 6 || len(seen) != 6 {
		t.Fatalf("tokens for %d participants, want 6 different ones", len(seen))
	}
	client := loadClient(3)
	defer client.CloseIdleConnections()
	other := srv.base + "/api/v1/events/mhc-2027/participants/" + srv.tokens[1].participant + "/suggestions"
	if status, _, err := doLoadRequest(ctx, client, other, srv.tokens[0].token); err != nil || status != 403 {
		t.Errorf("%s's link read %s's suggestions: %d %v", srv.tokens[0].participant, srv.tokens[1].participant, status, err)
	}
	queries, err := demoQueries()
	if err != nil {
		t.Fatal(err)
	}
	targets := []loadTarget{suggestionsTarget("mhc-2027", srv.tokens, 3, 20), searchTarget("mhc-2027", srv.tokens, queries)}
	for _, r := range runLoad(ctx, client, srv.base, 3, 300*time.Millisecond, targets) {
		if r.Requests == 0 || r.Errors != 0 {
			t.Errorf("personal links, %s: %d requests, %d errors %v (%s)", r.Endpoint, r.Requests, r.Errors, r.Failures, r.Sample)
		}
	}

	// Open loop, with writes alongside: every acknowledged write is in the store.
	wclient := loadClient(2)
	defer wclient.CloseIdleConnections()
	writer, err := planWrites(srv.eng.Store(), "mhc-2027", srv.base, wclient, srv.allTokens)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan loadResult)
	go func() { done <- writer.run(ctx, 10, time.Second) }()
	for _, r := range runRate(ctx, client, srv.base, 3, 40, time.Second, targets) {
		if r.Requests != 20 || r.Errors != 0 || r.Rate != 20 {
			t.Errorf("open loop, %s: %d requests at %v/s, %d errors %v (%s)", r.Endpoint, r.Requests, r.Rate, r.Errors, r.Failures, r.Sample)
		}
	}
	wrote := <-done
	if wrote.Requests != 10 || wrote.Errors != 0 {
		t.Errorf("writes: %d, %d errors %v (%s)", wrote.Requests, wrote.Errors, wrote.Failures, wrote.Sample)
	}
	kinds := map[string]int{}
	for _, a := range writer.acked {
		kinds[a.kind]++
	}
	// An answer due before any send was acknowledged becomes a send.
	if kinds["send"] == 0 || kinds["accept"]+kinds["decline"] == 0 || kinds["edit"] == 0 {
		t.Errorf("acknowledged writes by kind: %v, want sends, answers and edits", kinds)
	}
	if verified, lost, err := writer.verify(srv.eng.Store()); err != nil || lost != 0 || verified != 10 {
		t.Errorf("verify: %d there, %d missing, %v; want all 10 there", verified, lost, err)
	}

	// The command against the running server, as the organizer.
	secret := profiles.NewSecret()
	if err := srv.eng.Store().Update(func(tx *profiles.Tx) error { return tx.SetOrganizerSecretHash(profiles.HashSecret(secret)) }); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"bench", "http", "--url", srv.base + "/", "--organizer-secret", secret, "--clients", "4", "--participants", "8", "--duration", "300ms", "--json"}
	if code := run(ctx, args, &stdout, &stderr); code != 0 {
		t.Fatalf("bench http exited %d: %s\n%s", code, stdout.String(), tail(stderr.String(), 2000))
	}
	var got []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var r loadResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, r.Endpoint)
		if r.Requests == 0 || r.Errors != 0 || r.Clients != 4 {
			t.Errorf("%s: %d requests, %d errors (%v), %d clients", r.Endpoint, r.Requests, r.Errors, r.Failures, r.Clients)
		}
	}
	if !slices.Equal(got, loadEndpoints) {
		t.Errorf("endpoints reported: %v, want %v", got, loadEndpoints)
	}
}

// TestBenchHTTPFlags checks that bad command lines are refused with the flag named.
func TestBenchHTTPFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--clients", "0"}, "--clients"},
		{[]string{"--duration", "-1s"}, "--duration"},
		{[]string{"--endpoints", "suggestions,nope"}, `"nope"`},
		{[]string{"--url", "ftp://x", "--organizer-secret", "s"}, "--url"},
		{[]string{"--url", "http://127.0.0.1:1"}, "organizer"},
		{[]string{"extra"}, `"extra"`},
		{[]string{"--rate", "-5"}, "--rate"},
		{[]string{"--writes", "2", "--url", "http://127.0.0.1:1", "--organizer-secret", "s"}, "--writes"},
	}
	t.Setenv(organizerSecretEnv, "")
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"bench", "http"}, tt.args...), &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %s named", code, stderr.String(), tt.want)
			}
		})
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestOpenLoopDoesNotWait checks the open loop's arrivals: rate x duration
// calls, each at its planned time, whether or not earlier calls are done.
func TestOpenLoopDoesNotWait(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rate  float64
		d     time.Duration
		calls int
	}{
		{100, 200 * time.Millisecond, 20},
		{10, 250 * time.Millisecond, 3},
	}
	for _, tt := range tests {
		var mu sync.Mutex
		var got []int
		inFlight, most := 0, 0
		openLoop(context.Background(), tt.rate, tt.d, func(i int, at time.Time) {
			mu.Lock()
			got = append(got, i)
			inFlight++
			most = max(most, inFlight)
			mu.Unlock()
			time.Sleep(3 * time.Second / time.Duration(tt.rate)) // slower than the arrivals
			mu.Lock()
			inFlight--
			mu.Unlock()
		})
		if len(got) != tt.calls {
			t.Errorf("rate %v for %v: %d calls, want %d", tt.rate, tt.d, len(got), tt.calls)
		}
		if tt.calls > 3 && most < 2 {
			t.Errorf("rate %v: at most %d calls at once; an open loop does not wait for answers", tt.rate, most)
		}
	}
}

// --cpuprofile writes a profile where asked, and says so when it cannot.
func TestStartCPUProfile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		wantErr bool
	}{
		{"writable", filepath.Join(dir, "cpu.out"), false},
		{"missing directory", filepath.Join(dir, "missing", "cpu.out"), true},
	}
	for _, tt := range tests {
		stop, err := startCPUProfile(tt.path)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%s: error %v, want one %v", tt.name, err, tt.wantErr)
		}
		if err != nil {
			if !strings.Contains(err.Error(), "--cpuprofile") {
				t.Errorf("%s: error %q does not name the flag", tt.name, err)
			}
			continue
		}
		stop()
		if fi, err := os.Stat(tt.path); err != nil || fi.Size() == 0 {
			t.Errorf("%s: profile %v, %v", tt.name, fi, err)
		}
	}
}
