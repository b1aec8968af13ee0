package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
)

// smallEvent makes a data directory with an empty event "ev".
func smallEvent(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	eng, err := matchgrid.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	err = eng.Store().Update(func(tx *profiles.Tx) error {
		return tx.CreateEvent(&profiles.Event{ID: "ev", Name: "Brokerage", TimeZone: "Europe/Rome", MeetingMinutes: 20, Tables: 4,
			Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Day", Start: "09:00", End: "12:00"}}}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSpreadsheetRoundTrip: registrations imported from CSV, exported as
// XLSX and imported back update every row and change nothing; an unknown
// sheet is a usage error.
func TestSpreadsheetRoundTrip(t *testing.T) {
	dir, tmp := smallEvent(t), t.TempDir()
	people := filepath.Join(tmp, "people.csv")
	os.WriteFile(people, []byte("organization,kind,country,first_name,last_name,email,job_title\n"+
		"Acme Srl,sme,IT,Anna,Rossi,anna@acme.example,\"=HYPERLINK(\"\"http://x.example\"\")\"\n"+
		"Beta GmbH,large_company,DE,Bo,Berg,bo@beta.example,+49 CTO\n"), 0o600)
	mustRun(t, "import", "--data", dir, "--event", "ev", people)
	before := mustRun(t, "export", "--data", dir, "--event", "ev", "--sheet", "participants", "--format", "csv-excel")
	if !strings.HasPrefix(before, "\xEF\xBB\xBF") || !strings.Contains(before, `;"'=HYPERLINK(""http://x.example"")";`) {
		t.Errorf("CSV for Excel:\n%s", before)
	}
	xlsx := filepath.Join(tmp, "people.xlsx")
	mustRun(t, "export", "--data", dir, "--event", "ev", "--sheet", "participants", "--format", "xlsx", "--out", xlsx)
	if raw, _ := os.ReadFile(xlsx); !bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		t.Fatal("the XLSX export is not a workbook")
	}
	out := mustRun(t, "import", "--data", dir, "--event", "ev", xlsx)
	if !strings.Contains(out, "organizations 0 new, 2 updated; participants 0 new, 2 updated") {
		t.Errorf("re-import of the XLSX: %s", out)
	}
	if after := mustRun(t, "export", "--data", dir, "--event", "ev", "--sheet", "participants", "--format", "csv-excel"); after != before {
		t.Errorf("the round trip changed the participants:\n%s\n---\n%s", before, after)
	}
	if code, _, errOut := runCLI(t, "export", "--data", dir, "--event", "ev", "--sheet", "nope"); code == 0 || !strings.Contains(errOut, "unknown export") {
		t.Errorf("unknown sheet: exit %d, %s", code, errOut)
	}
}
