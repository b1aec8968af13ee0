package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

const benchStoreSynopsis = `bench store --cordis DIR [--postgres URL] [--suggestions 200] [--clients 8] [--duration 10s] [--json]`

// storeResult is what bench store measured on one engine.
type storeResult struct {
	Engine string `json:"engine"`
	// CORDISOrganizations and CORDISImportSeconds: the CORDIS files
	// imported as they are (the index follows within the time).
	CORDISOrganizations int     `json:"cordis_organizations"`
	CORDISImportSeconds float64 `json:"cordis_import_seconds"`
	// The demo-sized event built from the same files, used below.
	Organizations  int     `json:"organizations"`
	Participants   int     `json:"participants"`
	ImportSeconds  float64 `json:"import_seconds"`
	SuggestP50MS   float64 `json:"suggest_p50_ms"`
	SuggestP99MS   float64 `json:"suggest_p99_ms"`
	Sends          int     `json:"sends"`
	SendsPerSecond float64 `json:"sends_per_second"`
	SendErrors     int     `json:"send_errors"`
}

// benchStore is `matchgrid bench store`: the same work on the bbolt file
// and on PostgreSQL, in one run. It imports the CORDIS data as one event
// (the index follows the import), asks for the suggestions of many
// participants (the matcher's cached snapshot, after one warm-up call) and
// lets concurrent clients send meeting requests through the store for a
// while. The engine is used in this process, PostgreSQL over its socket or
// loopback; no HTTP is involved, so the figures compare the engines.
func benchStore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench store", benchStoreSynopsis, stderr)
	cordis := fs.String("cordis", "", "`directory` with the CORDIS projects.csv and participations.csv (required)")
	pg := fs.String("postgres", os.Getenv(storeEnv), "PostgreSQL `URL` to measure beside bbolt (default $"+storeEnv+"); the event is imported under a fresh ID and deleted afterwards")
	suggestions := fs.Int("suggestions", 200, "participants whose suggestions are asked for")
	clients := fs.Int("clients", 8, "concurrent clients sending requests")
	duration := fs.Duration("duration", 10*time.Second, "how long requests are sent, per engine")
	asJSON := fs.Bool("json", false, "one JSON object per engine and line instead of a table")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cordis == "" || *suggestions < 1 || *clients < 1 || *duration <= 0 {
		return usageError{"bench store: --cordis DIR is required; --suggestions, --clients and --duration must be positive"}
	}
	bundle, err := benchBundle(*cordis, stderr)
	if err != nil {
		return err
	}
	var cordisFiles []inputFile
	for _, name := range []string{"projects.csv", "participations.csv"} {
		f, err := readInput(filepath.Join(*cordis, name), formatCORDIS)
		if err != nil {
			return err
		}
		cordisFiles = append(cordisFiles, f)
	}
	stores := []string{""}
	if *pg != "" {
		if !profiles.IsPostgresURL(*pg) {
			return usageError{fmt.Sprintf("bench store: --postgres %q is not a postgres:// URL", *pg)}
		}
		stores = append(stores, *pg)
	} else {
		fmt.Fprintln(stderr, "bench store: no --postgres URL (or $"+storeEnv+"): measuring bbolt only")
	}
	var runs []*storeRun
	defer func() {
		for _, r := range runs {
			r.close()
		}
	}()
	for _, store := range stores {
		r, err := openStoreRun(store, cordisFiles, bundle, stderr)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	if err := benchSuggestInterleaved(runs, *suggestions, stderr); err != nil {
		return err
	}
	results := make([]storeResult, len(runs))
	for i, r := range runs {
		fmt.Fprintf(stderr, "bench store: %s: %d clients send requests for %v\n", r.Engine, *clients, *duration)
		r.Sends, r.SendErrors = benchSends(ctx, r.eng.Store(), r.eventID, r.people, *clients, *duration)
		r.SendsPerSecond = float64(r.Sends) / duration.Seconds()
		results[i] = r.storeResult
	}
	return writeStoreResults(stdout, results, *asJSON)
}

// benchBundle builds, from the CORDIS CSVs, the event the demo is made of
// (organizations, participants, opportunities and requests).
func benchBundle(dir string, stderr io.Writer) (*profiles.Bundle, error) {
	projects, err := genDemoRead(dir, "projects.csv", profiles.ReadCORDISProjects)
	if err != nil {
		return nil, err
	}
	parts, err := genDemoRead(dir, "participations.csv", profiles.ReadCORDISParticipations)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "bench store: building the event from %d CORDIS projects\n", len(projects))
	return demo.Build(projects, parts, demo.BuildOptions{})
}

// withEventID returns a copy of b whose event and entities have the given ID.
func withEventID(b *profiles.Bundle, id string) *profiles.Bundle {
	c := *b
	c.Event.ID = id
	c.Organizations = slices.Clone(b.Organizations)
	for i := range c.Organizations {
		c.Organizations[i].EventID = id
	}
	c.Participants = slices.Clone(b.Participants)
	for i := range c.Participants {
		c.Participants[i].EventID = id
	}
	c.Opportunities = slices.Clone(b.Opportunities)
	for i := range c.Opportunities {
		c.Opportunities[i].EventID = id
	}
	c.Requests = slices.Clone(b.Requests)
	for i := range c.Requests {
		c.Requests[i].EventID = id
	}
	c.Meetings = slices.Clone(b.Meetings)
	for i := range c.Meetings {
		c.Meetings[i].EventID = id
	}
	return &c
}

// storeRun is one engine under measurement: an engine on a temporary data
// directory (and the bbolt file in it, or PostgreSQL) holding the event.
type storeRun struct {
	storeResult
	dir     string
	eng     *matchgrid.Engine
	eventID string
	people  []string
}

// openStoreRun opens an engine (store "" is the bbolt file), times the
// import of the CORDIS files (an event deleted again) and of the event
// built from them (kept for the other measures).
func openStoreRun(store string, files []inputFile, bundle *profiles.Bundle, stderr io.Writer) (*storeRun, error) {
	r := &storeRun{storeResult: storeResult{Engine: "bbolt"}, eventID: fmt.Sprintf("bench-%08x", rand.Uint32())}
	if store != "" {
		r.Engine = "postgres"
	}
	var err error
	if r.dir, err = os.MkdirTemp("", "matchgrid-bench-store-*"); err != nil {
		return nil, err
	}
	if r.eng, err = openEngine(&dataFlags{dir: r.dir, store: store}, io.Discard); err != nil {
		os.RemoveAll(r.dir)
		return nil, err
	}
	fail := func(err error) (*storeRun, error) { r.close(); return nil, err }
	st := r.eng.Store()
	fmt.Fprintf(stderr, "bench store: %s: importing the CORDIS files\n", r.Engine)
	cordisID := r.eventID + "-cordis"
	start := time.Now()
	err = st.Update(func(tx *profiles.Tx) error {
		_, err := importCORDIS(tx, files, cordisID, "CORDIS benchmark", time.Time{}, false, io.Discard)
		return err
	})
	if err != nil {
		return fail(err)
	}
	r.CORDISImportSeconds = time.Since(start).Seconds()
	err = st.View(func(tx *profiles.Tx) (err error) {
		_, r.CORDISOrganizations, err = tx.OrganizationsPage(cordisID, 0, 1)
		return err
	})
	if err == nil {
		err = st.Update(func(tx *profiles.Tx) error { return tx.DeleteEvent(cordisID) })
	}
	if err != nil {
		return fail(err)
	}

	fmt.Fprintf(stderr, "bench store: %s: importing the demo-sized event as %s\n", r.Engine, r.eventID)
	b := withEventID(bundle, r.eventID)
	start = time.Now()
	if err := st.Update(func(tx *profiles.Tx) error { return tx.ImportBundle(b, profiles.ImportOptions{}) }); err != nil {
		return fail(err)
	}
	r.ImportSeconds = time.Since(start).Seconds()
	err = st.View(func(tx *profiles.Tx) error {
		ps, err := tx.Participants(r.eventID)
		for _, p := range ps {
			r.people = append(r.people, p.ID)
		}
		_, n, perr := tx.OrganizationsPage(r.eventID, 0, 1)
		r.Organizations = n
		return errors.Join(err, perr)
	})
	if err != nil {
		return fail(err)
	}
	r.Participants = len(r.people)
	if len(r.people) < 2 {
		return fail(fmt.Errorf("bench store: the event has %d participants", len(r.people)))
	}
	return r, nil
}

// close deletes the event and the temporary directory.
func (r *storeRun) close() {
	r.eng.Store().Update(func(tx *profiles.Tx) error { return tx.DeleteEvent(r.eventID) })
	r.eng.Close()
	os.RemoveAll(r.dir)
}

// benchSuggestInterleaved times one Suggest per participant on every
// engine in turn (so that a busy machine slows them alike), after a
// warm-up call that builds each matcher's snapshot.
func benchSuggestInterleaved(runs []*storeRun, n int, stderr io.Writer) error {
	took := make([][]time.Duration, len(runs))
	for _, r := range runs {
		m, err := r.eng.Matcher()
		if err != nil {
			return err
		}
		if _, err := m.Suggest(r.eventID, r.people[0], 20); err != nil {
			return err
		}
		n = min(n, len(r.people))
	}
	fmt.Fprintf(stderr, "bench store: suggestions of %d participants, engines in turn\n", n)
	for p := range n {
		for i, r := range runs {
			m, _ := r.eng.Matcher()
			start := time.Now()
			if _, err := m.Suggest(r.eventID, r.people[p], 20); err != nil {
				return err
			}
			took[i] = append(took[i], time.Since(start))
		}
	}
	for i, r := range runs {
		slices.Sort(took[i])
		r.SuggestP50MS = percentileMs(took[i], 0.50)
		r.SuggestP99MS = percentileMs(took[i], 0.99)
	}
	return nil
}

// benchSends lets clients send requests between random participants until
// duration is over; it returns the requests stored and the refusals (a
// sender at the event's cap of pending requests).
func benchSends(ctx context.Context, store *profiles.Store, eventID string, people []string, clients int, duration time.Duration) (sent, failed int) {
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 1))
			ok, bad := 0, 0
			for ctx.Err() == nil {
				from, to := people[rng.IntN(len(people))], people[rng.IntN(len(people))]
				if from == to {
					continue
				}
				err := store.Update(func(tx *profiles.Tx) error {
					_, err := tx.SendRequest(eventID, from, to, "Shall we meet?", "", time.Now())
					return err
				})
				if err != nil {
					bad++
				} else {
					ok++
				}
			}
			mu.Lock()
			sent, failed = sent+ok, failed+bad
			mu.Unlock()
		})
	}
	wg.Wait()
	return sent, failed
}

func writeStoreResults(w io.Writer, results []storeResult, asJSON bool) error {
	if asJSON {
		return writeJSONLines(w, results)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "engine\tCORDIS orgs\tCORDIS import s\tevent orgs\tparticipants\timport s\tsuggest p50 ms\tsuggest p99 ms\tsends/s\trefused\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.0f\t%d\t\n", r.Engine, r.CORDISOrganizations, r.CORDISImportSeconds,
			r.Organizations, r.Participants, r.ImportSeconds, r.SuggestP50MS, r.SuggestP99MS, r.SendsPerSecond, r.SendErrors)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "Source: CORDIS, European Commission")
	return nil
}
