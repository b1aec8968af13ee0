package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/internal/demotest"
	"github.com/matchgrid/matchgrid/internal/pgtest"
	"github.com/matchgrid/matchgrid/profiles"
)

// envRunCLI makes the test binary run the CLI instead of the tests, so that
// a test can start real server processes without building the binary.
const envRunCLI = "MATCHGRID_TEST_RUN_CLI"

// server is a matchgrid process started by a test.
type server struct {
	cmd    *exec.Cmd
	base   string
	secret string
	done   chan struct{}
}

var servingLine = regexp.MustCompile(`serving \d+ event\(s\) from .* at (http://[0-9.:]+)/`)

// startServer runs `matchgrid args...` as a process of its own and waits
// until it serves; it is killed when the test ends.
func startServer(t *testing.T, secret string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), envRunCLI+"=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, secret: secret, done: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	select {
	case s.base = <-found:
		return s
	case <-s.done:
		t.Fatalf("%v exited before serving: %s", args, stderr.String())
	case <-time.After(2 * time.Minute): // a hang bound, not a speed test
		t.Fatalf("%v did not serve within 2 minutes: %s", args, stderr.String())
	}
	return nil
}

// call sends a JSON request as the organizer and decodes the answer into
// out (when not nil); it returns the status code.
func (s *server) call(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.base+"/api/v1"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0 // a dead server answers nothing
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// TestTwoServersOneDatabase runs two server processes on one PostgreSQL
// database: a write on one is seen by the other's search, a grid is
// published by exactly one of two concurrent publishers, a preview made on
// one is published on the other, a sign-in lockout reached on one holds on
// the other, and after a kill -9 of one server during writes every
// acknowledged write is there and the other server keeps serving.
func TestTwoServersOneDatabase(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts two server processes")
	}
	store := pgtest.URL(t)
	const secret = "two-servers-organizer-secret"
	// A slice of the demo (50 organizations, 5 accepted requests) keeps the
	// start of the two servers short.
	sample := filepath.Join(t.TempDir(), "sample.json")
	writeDemoSample(t, sample, 50)
	dirA := t.TempDir()
	mustRun(t, "import", "--data", dirA, "--store", store, sample)
	a := startServer(t, secret, "serve", "--data", dirA, "--store", store, "--addr", "127.0.0.1:0", "--organizer-secret", secret)
	b := startServer(t, secret, "serve", "--data", t.TempDir(), "--store", store, "--addr", "127.0.0.1:0", "--organizer-secret", secret)
	ev := "/events/" + url.PathEscape(demo.EventID)

	t.Run("a write on A is found by B's search", func(t *testing.T) {
		var page struct {
			Items []map[string]any `json:"items"`
		}
		if code := a.call(t, http.MethodGet, ev+"/organizations?limit=1", nil, &page); code != http.StatusOK || len(page.Items) == 0 {
			t.Fatalf("list organizations on A: %d", code)
		}
		org := page.Items[0]
		var lags []time.Duration
		for i := range 20 {
			word := fmt.Sprintf("quokkazyme%d", i)
			org["keywords"] = []string{word}
			if code := a.call(t, http.MethodPut, ev+"/organizations/"+url.PathEscape(org["id"].(string)), org, nil); code != http.StatusOK {
				t.Fatalf("update organization on A: %d", code)
			}
			acked := time.Now()
			for {
				var res struct {
					Total int `json:"total"`
				}
				if code := b.call(t, http.MethodGet, ev+"/search?q="+word, nil, &res); code == http.StatusOK && res.Total > 0 {
					break
				}
				if time.Since(acked) > 10*time.Second { // a hang bound; the lag is reported, not asserted
					t.Fatalf("B's search never found %q", word)
				}
				time.Sleep(2 * time.Millisecond)
			}
			lags = append(lags, time.Since(acked))
		}
		slices.Sort(lags)
		t.Logf("visibility lag A -> B search over %d writes: p50 %v, p99 %v", len(lags), lags[len(lags)/2], lags[len(lags)*99/100])
	})

	t.Run("two concurrent publishers: exactly one wins", func(t *testing.T) {
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, s := range []*server{a, b} {
			wg.Go(func() {
				codes[i] = s.call(t, http.MethodPost, ev+"/grid/preview", map[string]any{"budget_ms": 200, "seed": 1}, nil)
			})
		}
		wg.Wait()
		if codes[0] != http.StatusOK || codes[1] != http.StatusOK {
			t.Fatalf("previews on A and B answer %v", codes)
		}
		for i, s := range []*server{a, b} {
			wg.Go(func() { codes[i] = s.call(t, http.MethodPost, ev+"/grid/publish", nil, nil) })
		}
		wg.Wait()
		slices.Sort(codes)
		if codes[0] != http.StatusOK || codes[1] != http.StatusConflict {
			t.Errorf("publish answers %v, want one 200 and one 409", codes)
		}
	})

	t.Run("a preview made on A is published on B", func(t *testing.T) {
		var preview struct {
			Grid struct {
				Meetings []map[string]any `json:"meetings"`
			} `json:"grid"`
		}
		if code := a.call(t, http.MethodPost, ev+"/grid/preview", map[string]any{"budget_ms": 200, "seed": 2}, &preview); code != http.StatusOK {
			t.Fatalf("preview on A: %d", code)
		}
		var onB struct {
			Preview  bool             `json:"preview"`
			Meetings []map[string]any `json:"meetings"`
		}
		if code := b.call(t, http.MethodGet, ev+"/grid?preview=true", nil, &onB); code != http.StatusOK || !onB.Preview || len(onB.Meetings) != len(preview.Grid.Meetings) {
			t.Fatalf("A's preview on B: %d, preview %v, %d meetings, want %d", code, onB.Preview, len(onB.Meetings), len(preview.Grid.Meetings))
		}
		if code := b.call(t, http.MethodPost, ev+"/grid/publish", nil, nil); code != http.StatusOK {
			t.Fatalf("publish on B of A's preview: %d, want 200", code)
		}
		if code := a.call(t, http.MethodPost, ev+"/grid/publish", nil, nil); code != http.StatusConflict {
			t.Errorf("publishing it again on A: %d, want 409", code)
		}
	})

	t.Run("a lockout on A holds on B", func(t *testing.T) {
		// Wrong personal links from one address (both servers see the
		// test's 127.0.0.1): 10 are let through, then A answers 429.
		link := "/e/" + url.PathEscape(demo.EventID) + "/link?key=not-a-personal-link"
		limited := -1
		for i := range 12 {
			if code := getStatus(t, a.base+link); code == http.StatusTooManyRequests {
				limited = i
				break
			} else if code != http.StatusNotFound {
				t.Fatalf("wrong link %d on A: %d", i, code)
			}
		}
		if limited != 10 {
			t.Fatalf("A limited wrong link %d, want the 11th (index 10)", limited)
		}
		if code := getStatus(t, b.base+link); code != http.StatusTooManyRequests {
			t.Errorf("a wrong link on B after the lockout on A: %d, want 429", code)
		}
		if code := b.call(t, http.MethodGet, "/events", nil, nil); code != http.StatusOK {
			t.Errorf("the right organizer secret on B from the locked-out address: %d, want 200", code)
		}
	})

	t.Run("kill -9 of A during writes loses nothing acknowledged", func(t *testing.T) {
		// Four clients create organizations on A until it is killed.
		var (
			mu    sync.Mutex
			acked []string
			wg    sync.WaitGroup
		)
		stop := make(chan struct{})
		for c := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					id := fmt.Sprintf("crash-%d-%04d", c, i)
					org := map[string]any{"id": id, "name": "Crash Test " + id, "kind": "sme", "country": "IT"}
					if a.call(t, http.MethodPost, ev+"/organizations", org, nil) == http.StatusCreated {
						mu.Lock()
						acked = append(acked, id)
						mu.Unlock()
					}
				}
			})
		}
		// Kill once a few writes are acknowledged, while the clients go on.
		for waited := time.Duration(0); ; waited += 20 * time.Millisecond {
			mu.Lock()
			n := len(acked)
			mu.Unlock()
			if n >= 5 || waited > 2*time.Minute { // a hang bound, not a speed test
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-a.done
		close(stop)
		wg.Wait()
		if len(acked) == 0 {
			t.Fatal("no write was acknowledged before the kill")
		}
		for _, id := range acked {
			if code := b.call(t, http.MethodGet, ev+"/organizations/"+id, nil, nil); code != http.StatusOK {
				t.Errorf("acknowledged organization %s: B answers %d", id, code)
			}
		}
		org := map[string]any{"id": "after-crash", "name": "After The Crash", "kind": "sme", "country": "FR"}
		if code := b.call(t, http.MethodPost, ev+"/organizations", org, nil); code != http.StatusCreated {
			t.Errorf("B after A's crash: create answers %d", code)
		}
		t.Logf("%d writes acknowledged by A before kill -9, all found on B", len(acked))
	})
}

// getStatus sends a GET without credentials and returns the status code.
func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestExportImportAcrossEngines moves an event (a slice of the demo)
// from a bbolt data directory into PostgreSQL with export and import: the
// exports are identical (profiles' TestBundleRoundTrip moves every kind of
// entity both ways), and backup on PostgreSQL writes the same bundle.
func TestExportImportAcrossEngines(t *testing.T) {
	t.Parallel()
	sample := filepath.Join(t.TempDir(), "sample.json")
	writeDemoSample(t, sample, 25)
	boltData := t.TempDir()
	mustRun(t, "import", "--data", boltData, sample)
	first := mustRun(t, "export", "--data", boltData)
	file := filepath.Join(t.TempDir(), "sample.json")
	if err := os.WriteFile(file, []byte(first), 0o600); err != nil {
		t.Fatal(err)
	}
	store := pgtest.URL(t)
	pgData := t.TempDir()
	mustRun(t, "import", "--data", pgData, "--store", store, file)
	if got := mustRun(t, "export", "--data", pgData, "--store", store); got != first {
		t.Fatal("bbolt export -> import into PostgreSQL -> export differs")
	}
	out := filepath.Join(t.TempDir(), "backup.json")
	msg := mustRun(t, "backup", "--data", pgData, "--store", store, "--out", out)
	raw, err := os.ReadFile(out)
	if err != nil || string(raw) != first || !strings.Contains(msg, "pg_dump") {
		t.Errorf("backup on PostgreSQL: %v, same bundle %v, message %q", err, string(raw) == first, msg)
	}
}

// writeDemoSample writes to path the demo event cut down to its first n
// organizations (see demotest.Sample).
func writeDemoSample(t *testing.T, path string, n int) {
	t.Helper()
	b := demotest.Sample(t, n)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := profiles.EncodeExport(f, &profiles.Export{Format: profiles.BundleFormat, Events: []profiles.Bundle{*b}}); err != nil {
		t.Fatal(err)
	}
}
