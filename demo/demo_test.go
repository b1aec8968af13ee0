package demo

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

// cordisDir is the shared CORDIS data, relative to this package.
var cordisDir = filepath.Join("..", "..", "shared", "data", "cordis-health")

func embedded(t *testing.T) *profiles.Bundle {
	t.Helper()
	b, err := Bundle()
	if err != nil {
		t.Fatalf("decode the embedded demo event: %v", err)
	}
	return b
}

func TestEmbeddedBundleImports(t *testing.T) {
	t.Parallel()
	b := embedded(t)
	if err := validateBundle(b); err != nil {
		t.Fatal(err)
	}
	s, err := profiles.Open(filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(func(tx *profiles.Tx) error { return tx.ImportBundle(b, profiles.ImportOptions{}) }); err != nil {
		t.Fatalf("import: %v", err)
	}
	err = s.View(func(tx *profiles.Tx) error {
		orgs, err := tx.Organizations(EventID)
		if err != nil {
			return err
		}
		people, err := tx.Participants(EventID)
		if err != nil {
			return err
		}
		if len(orgs) != len(b.Organizations) || len(people) != len(b.Participants) {
			t.Errorf("store holds %d organizations and %d participants, bundle %d and %d", len(orgs), len(people), len(b.Organizations), len(b.Participants))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEmbeddedBundleContent(t *testing.T) {
	t.Parallel()
	b := embedded(t)
	for _, field := range []string{b.Event.Source, b.Event.Description} {
		if !strings.Contains(field, "Source: CORDIS, European Commission") {
			t.Errorf("event does not credit CORDIS: %q", field)
		}
	}
	if !strings.Contains(b.Event.Name, "Life Sciences Brokerage Event") || b.Event.TimeZone != "Europe/Rome" || len(b.Event.Days) != 2 {
		t.Errorf("event = %q in %s with %d days", b.Event.Name, b.Event.TimeZone, len(b.Event.Days))
	}
	if n := len(b.Organizations); n < 270 || n > 330 {
		t.Errorf("%d organizations, want about 300", n)
	}
	kinds := map[profiles.OrgKind]int{}
	countries := map[string]bool{}
	orgOf := map[string]string{}
	for _, o := range b.Organizations {
		kinds[o.Kind]++
		countries[o.Country] = true
		if o.ExternalIDs["pic"] == "" || o.Description("en") == "" {
			t.Errorf("organization %s lacks its PIC or profile text", o.ID)
		}
	}
	for _, k := range []profiles.OrgKind{profiles.KindSME, profiles.KindStartup, profiles.KindLargeCompany, profiles.KindHospital,
		profiles.KindUniversity, profiles.KindResearchCentre, profiles.KindPublicBody} {
		if kinds[k] == 0 {
			t.Errorf("no organization of kind %s", k)
		}
	}
	if len(countries) < 20 {
		t.Errorf("%d countries, want at least 20", len(countries))
	}
	if n := len(b.Participants); n < 320 || n > 380 {
		t.Errorf("%d participants, want about 350", n)
	}
	types := map[profiles.ParticipationType]int{}
	for _, p := range b.Participants {
		orgOf[p.ID] = p.OrganizationID
		types[p.Type]++
		if p.Email == "" || p.SecretHash != "" {
			t.Errorf("participant %s: email %q, secret hash %q (want an email and no hash)", p.ID, p.Email, p.SecretHash)
		}
	}
	if types[profiles.TypeDelegate] == 0 || types[profiles.TypeExhibitor] == 0 || types[profiles.TypeOnline] == 0 {
		t.Errorf("participation types %v lack delegates, exhibitors or online participants", types)
	}
	oppKinds := map[profiles.OpportunityKind]int{}
	perPerson := map[string]int{}
	for _, o := range b.Opportunities {
		oppKinds[o.Kind]++
		perPerson[o.ParticipantID]++
		if orgOf[o.ParticipantID] != o.OrganizationID {
			t.Errorf("opportunity %s: organization %q, its participant represents %q", o.ID, o.OrganizationID, orgOf[o.ParticipantID])
		}
	}
	for _, p := range b.Participants {
		if n := perPerson[p.ID]; n < 1 || n > 3 {
			t.Errorf("participant %s has %d opportunities, want 1 to 3", p.ID, n)
		}
	}
	if oppKinds[profiles.KindOffer] == 0 || oppKinds[profiles.KindRequest] == 0 {
		t.Errorf("opportunity kinds %v lack offers or requests", oppKinds)
	}
	states := map[profiles.RequestStatus]int{}
	pairs := map[[2]string]bool{}
	for _, r := range b.Requests {
		states[r.Status]++
		if orgOf[r.From] == "" || orgOf[r.From] == orgOf[r.To] {
			t.Errorf("request %s within organization %q", r.ID, orgOf[r.From])
		}
		pair := [2]string{min(r.From, r.To), max(r.From, r.To)}
		if pairs[pair] {
			t.Errorf("request %s repeats the pair %v", r.ID, pair)
		}
		pairs[pair] = true
	}
	if len(states) < 4 || states[profiles.RequestAccepted] <= len(b.Requests)/2 {
		t.Errorf("request states %v: want several, accepted the majority", states)
	}
	if n := len(b.Requests); n < 400 || n > 600 {
		t.Errorf("%d requests, want about 500", n)
	}
}

// TestBuildMatchesEmbedded checks that the committed event.json.gz is what
// Build makes from the shared CORDIS data (so it was regenerated after the
// last change of Build).
func TestBuildMatchesEmbedded(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(filepath.Join(cordisDir, "participations.csv")); err != nil {
		t.Skipf("CORDIS data not present: %v", err)
	}
	projects, parts := cordisData(t)
	built, err := Build(projects, parts, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := profiles.EncodeExport(&got, &profiles.Export{Format: profiles.BundleFormat, Events: []profiles.Bundle{*built}}); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(eventFile))
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("Build output (%d bytes) differs from the embedded event.json.gz (%d bytes): run `go run ./cmd/matchgrid gen-demo`", got.Len(), len(want))
	}

	// Encode round-trips through Bundle's decoder.
	var file bytes.Buffer
	if err := Encode(&file, built); err != nil {
		t.Fatal(err)
	}
	if file.Len() > 5<<20 {
		t.Errorf("demo file is %d bytes, want well under 5 MB", file.Len())
	}
}

func TestBuildSmallIsDeterministic(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(filepath.Join(cordisDir, "participations.csv")); err != nil {
		t.Skipf("CORDIS data not present: %v", err)
	}
	projects, parts := cordisData(t)
	opts := BuildOptions{Organizations: 60, Participants: 70, Requests: 80, Seed: 7}
	encode := func() []byte {
		b, err := Build(projects, parts, opts)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Encode(&buf, b); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if !bytes.Equal(encode(), encode()) {
		t.Error("two builds with the same options differ")
	}
}

func TestBuildTooLittleData(t *testing.T) {
	_, err := Build(nil, nil, BuildOptions{})
	if !errors.Is(err, ErrNotEnoughData) {
		t.Fatalf("got %v, want ErrNotEnoughData", err)
	}
}

var cordisOnce struct {
	sync.Once
	projects []profiles.CORDISProject
	parts    []profiles.CORDISParticipation
}

// cordisData reads the shared CORDIS files once for all tests.
func cordisData(t *testing.T) ([]profiles.CORDISProject, []profiles.CORDISParticipation) {
	t.Helper()
	cordisOnce.Do(func() {
		cordisOnce.projects = readCSV(t, "projects.csv", profiles.ReadCORDISProjects)
		cordisOnce.parts = readCSV(t, "participations.csv", profiles.ReadCORDISParticipations)
	})
	if cordisOnce.projects == nil || cordisOnce.parts == nil {
		t.Fatal("CORDIS data could not be read")
	}
	return cordisOnce.projects, cordisOnce.parts
}

func readCSV[T any](t *testing.T, name string, read func(io.Reader, string) ([]T, error)) []T {
	t.Helper()
	f, err := os.Open(filepath.Join(cordisDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := read(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
