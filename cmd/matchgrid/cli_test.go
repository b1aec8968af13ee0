package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// runCLI runs the command line in-process and returns exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("matchgrid %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func TestEveryCommandHasHelp(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runCLI(t, name, "--help")
			if code != 0 || !strings.Contains(errOut, "Usage: matchgrid "+name) {
				t.Errorf("%s --help: exit %d, output %q", name, code, errOut)
			}
		})
	}
	if code, _, _ := runCLI(t, "no-such-command"); code != 2 {
		t.Errorf("unknown command exit = %d, want 2", code)
	}
}

func TestExportImportRoundTripsTheDemo(t *testing.T) {
	t.Parallel()
	dir, first := demoExport(t)
	if again := mustRun(t, "export", "--data", dir); again != first {
		t.Fatal("two exports of the same store differ")
	}
	// The cut of the demo is exported, imported elsewhere, exported again.
	file := filepath.Join(t.TempDir(), "demo.json")
	os.WriteFile(file, []byte(first), 0o600)
	other := filepath.Join(t.TempDir(), "other")
	mustRun(t, "import", "--data", other, file)
	if second := mustRun(t, "export", "--data", other); second != first {
		t.Fatal("export -> import into a new data dir -> export is not identical")
	}
	if !strings.Contains(first, "Source: CORDIS, European Commission") {
		t.Error("the demo export lost its data credit")
	}
	// Importing the same event again without --replace fails and changes nothing.
	if code, _, errOut := runCLI(t, "import", "--data", other, file); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Errorf("second import: exit %d, %q", code, errOut)
	}
}

func TestImportBadCSVChangesNothing(t *testing.T) {
	t.Parallel()
	dir, before := demoExport(t)
	tmp := t.TempDir()
	people := filepath.Join(tmp, "people.csv")
	os.WriteFile(people, []byte("organization,kind,country,first_name,last_name,email\n"+
		"Acme Srl,sme,IT,Anna,Rossi,anna@acme.example\n"+
		"Beta GmbH,sme,Germany,Bo,Berg,bo@beta.example\n"), 0o600)
	opps := filepath.Join(tmp, "opps.csv")
	os.WriteFile(opps, []byte("participant_email,title,profile_type\nanna@acme.example,Rapid test,technology_offer\n"), 0o600)
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"bad row", []string{people}, `people.csv:3: column "country": value "Germany"`},
		{"good file then bad file", []string{opps, people}, `people.csv:3`},
		{"missing event flag", []string{"--event", "", people}, "--event ID is required"},
		{"unknown event", []string{"--event", "nope", people}, `event "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"import", "--data", dir, "--event", "mhc-2027"}, tt.files...)
			code, _, errOut := runCLI(t, args...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want non-zero naming %q", code, errOut, tt.want)
			}
			if after := mustRun(t, "export", "--data", dir); after != before {
				t.Error("a failed import changed the store")
			}
		})
	}
	// Fixed, both files go in together (opportunities after the people they name).
	os.WriteFile(people, []byte("organization,kind,country,first_name,last_name,email\nAcme Srl,sme,IT,Anna,Rossi,anna@acme.example\n"), 0o600)
	out := mustRun(t, "import", "--data", dir, "--event", "mhc-2027", opps, people)
	if !strings.Contains(out, "participants 1 new") || !strings.Contains(out, "opportunities 1 new") {
		t.Errorf("import report: %s", out)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr returns a loopback address with a free port.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestBackupAndExportWhileServing(t *testing.T) {
	t.Parallel()
	dir, before := demoExport(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--data", dir, "--addr", addr}, &stdout, &stderr) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, stderr.String())
		}
	}()
	waitForHTTP(t, "http://"+addr+"/healthz")

	resp, err := http.Get("http://" + addr + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"mhc-2027"`) {
		t.Errorf("/api/v1/events = %s", body)
	}

	backup := filepath.Join(t.TempDir(), "backup.db")
	out := mustRun(t, "backup", "--data", dir, "--out", backup)
	if !strings.Contains(out, "running server") {
		t.Errorf("backup did not go through the running server: %s", out)
	}
	if exported := mustRun(t, "export", "--data", dir); exported != before {
		t.Error("export while serving differs from the store's content")
	}
	restored := t.TempDir()
	if err := os.Rename(backup, filepath.Join(restored, "matchgrid.db")); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, "export", "--data", restored); got != before {
		t.Error("the backup does not hold the same content")
	}
}

func waitForHTTP(t *testing.T, url string) {
	t.Helper()
	// A bound for a hung server, not a speed test: the demo loads and
	// indexes first, slowly under -race on a busy machine.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDemoLoadsOnce: the demo command's loader imports the demo into an
// empty directory (the shared fixture) and a later demo start finds it; a
// restart prints the same personal links and organizer secret (so that
// sessions go on), --reset new ones.
func TestDemoLoadsOnce(t *testing.T) {
	t.Parallel()
	dir := demoData(t)
	demoFixture.mu.Lock()
	loaded := demoFixture.loaded
	demoFixture.mu.Unlock()
	if !strings.Contains(loaded, "loaded demo event") {
		t.Errorf("first load said %q, want it to load the demo", loaded)
	}
	access := func(out string) string { // the lines with secrets
		var lines []string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "organizer secret") || strings.Contains(l, "personal link") {
				lines = append(lines, l[strings.LastIndexAny(l, " /"):]) // the secret, not the port of this run
			}
		}
		return strings.Join(lines, "\n")
	}
	var first string
	for i, tc := range []struct {
		args []string
		same bool
	}{
		{nil, false},
		{nil, true},
		{[]string{"--reset"}, false},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr syncBuffer
		addr := freeAddr(t)
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, append([]string{"demo", "--data", dir, "--addr", addr}, tc.args...), &stdout, &stderr)
		}()
		waitForHTTP(t, "http://"+addr+"/healthz")
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("start %d: exit %d: %s", i, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "already in") {
			t.Errorf("start %d: stdout %q, want the demo found already in", i, stdout.String())
		}
		got := access(stdout.String())
		if strings.Count(got, "\n") != 2 {
			t.Fatalf("start %d: sign-in lines %q", i, got)
		}
		if i == 0 {
			first = got
		} else if (got == first) != tc.same {
			t.Errorf("start %d %v: sign-in lines the same as the first start's: %v, want %v\n%s\n%s", i, tc.args, got == first, tc.same, first, got)
		}
	}
}
