package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

// childArgsEnv, when set in the environment of the test binary, makes it
// run the matchgrid command line it holds (arguments separated by \x1f)
// instead of the tests: a real server process that a test can SIGKILL.
const childArgsEnv = "MATCHGRID_TEST_CHILD_ARGS"

// startChild runs `matchgrid args...` in a child process and waits until
// addr answers; the child is killed at cleanup if still running.
func startChild(t *testing.T, addr string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(args, "\x1f"))
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitForHTTP(t, "http://"+addr+"/healthz")
	return cmd
}

// crashOrg is what the load acknowledged of one organization: the name of
// its last acknowledged write, and the name of a write in flight at the
// kill (committed or not).
type crashOrg struct {
	acked, inFlight string
	participant     bool // its participant's creation was acknowledged
}

// crashLoad writes to a server over the API from a few clients until ctx
// ends: each client creates organizations, a participant for each (not
// indexed) and renames them. It records what was acknowledged.
type crashLoad struct {
	base, secret, event string
	mu                  sync.Mutex
	orgs                map[string]*crashOrg
}

func (l *crashLoad) send(method, path string, body any) bool {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, l.base+"/api/v1/events/"+l.event+path, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+l.secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusCreated
}

// client runs one client's writes; round and n make its IDs unique.
func (l *crashLoad) client(ctx context.Context, round, n int) {
	for k := 0; ctx.Err() == nil; k++ {
		id := fmt.Sprintf("r%dc%dk%d", round, n, k)
		org := profiles.Organization{ID: id, EventID: l.event, Name: "Org " + id, Kind: profiles.KindSME, Country: "IT",
			Descriptions: map[string]string{"en": "We develop diagnostics number " + id}}
		rec := &crashOrg{inFlight: org.Name}
		l.mu.Lock()
		l.orgs[id] = rec
		l.mu.Unlock()
		steps := []func() bool{
			func() bool { return l.send(http.MethodPost, "/organizations", org) },
			func() bool {
				return l.send(http.MethodPost, "/participants", participantInput{ID: "p-" + id, OrganizationID: id, LastName: "P " + id, Type: profiles.TypeDelegate})
			},
			func() bool {
				org.Name += " renamed"
				rec.inFlight = org.Name
				return l.send(http.MethodPut, "/organizations/"+id, org)
			},
		}
		for i, step := range steps {
			ok := step()
			l.mu.Lock()
			switch {
			case ok && i == 1:
				rec.participant = true
			case ok:
				rec.acked = rec.inFlight
			}
			l.mu.Unlock()
			if !ok {
				return // the server is gone
			}
		}
	}
}

// participantInput mirrors the API's participant body.
type participantInput struct {
	ID             string                     `json:"id"`
	OrganizationID string                     `json:"organization_id"`
	LastName       string                     `json:"last_name"`
	Type           profiles.ParticipationType `json:"type"`
}

// A server killed with SIGKILL under write load loses no acknowledged
// write, and at the next start its search index agrees with the store
// after replaying what it missed: it is not rebuilt from scratch.
func TestKilledServerRecoversWithoutReindexing(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	const event, secret = "crash", "crash-test-organizer-secret"
	eng, err := matchgrid.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev := &profiles.Event{ID: event, Name: "Crash test", TimeZone: "Europe/Rome", MeetingMinutes: 20, Tables: 5,
		Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "12:00"}}}}}
	if err := eng.Store().Update(func(tx *profiles.Tx) error { return tx.CreateEvent(ev) }); err != nil {
		t.Fatal(err)
	}
	if err := eng.Close(); err != nil {
		t.Fatal(err)
	}
	load := &crashLoad{secret: secret, event: event, orgs: map[string]*crashOrg{}}
	for round := range 3 {
		addr := freeAddr(t)
		load.base = "http://" + addr
		child := startChild(t, addr, "serve", "--data", dir, "--addr", addr, "--organizer-secret", secret)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for n := range 4 {
			wg.Go(func() { load.client(ctx, round, n) })
		}
		time.Sleep(time.Second)
		if err := child.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		child.Wait()
		cancel()
		wg.Wait()
		checkAfterCrash(t, round, dir, event, load.orgs)
	}
}

// checkAfterCrash opens the data directory as a restarting server does and
// checks that every acknowledged write is there, that the index agrees
// with the store and that it was caught up, not rebuilt.
func checkAfterCrash(t *testing.T, round int, dir, event string, orgs map[string]*crashOrg) {
	t.Helper()
	eng, err := matchgrid.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ix, err := eng.Index()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("round %d: %d organizations written, index replayed %d changes", round, len(orgs), ix.Replayed())
	if ix.Rebuilt() {
		t.Errorf("round %d: the index was rebuilt from scratch", round)
	}
	stored := map[string]string{}
	err = eng.Store().View(func(tx *profiles.Tx) error {
		all, err := tx.Organizations(event)
		for _, o := range all {
			stored[o.ID] = o.Name
		}
		for id, rec := range orgs {
			if _, perr := tx.Participant(event, "p-"+id); rec.participant && perr != nil {
				t.Errorf("round %d: acknowledged participant p-%s: %v", round, id, perr)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, rec := range orgs {
		if got, ok := stored[id]; rec.acked != "" && (!ok || got != rec.acked && got != rec.inFlight) {
			t.Errorf("round %d: organization %s is %q, acknowledged %q", round, id, got, rec.acked)
		}
	}
	res, err := ix.Search(&index.Request{EventID: event, Type: index.TypeOrganization, Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	var inIndex, inStore []string
	for _, h := range res.Hits {
		inIndex = append(inIndex, h.ID+" "+h.Name)
	}
	for id, name := range stored {
		inStore = append(inStore, id+" "+name)
	}
	slices.Sort(inIndex)
	slices.Sort(inStore)
	if !slices.Equal(inIndex, inStore) {
		t.Errorf("round %d: index and store disagree:\nindex %q\nstore %q", round, inIndex, inStore)
	}
}
