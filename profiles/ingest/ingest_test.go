package ingest

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
)

const people = `organization_id,organization,kind,country,city,sectors,description_it,first_name,last_name,email,job_title,participation_type,max_meetings,unavailable
biotech-srl,BioTech Srl,SME,IT,Torino,Biotechnology;Oncology,Anticorpi monoclonali,Giulia,Neri,giulia@biotech.example,"=HYPERLINK(""http://x.example"")",delegate,10,
biotech-srl,BioTech Srl,SME,IT,Torino,Biotechnology;Oncology,Anticorpi monoclonali,Paolo,Conti,paolo@biotech.example,+39 011 555,exhibitor,,2027-03-17T12:00/2027-03-17T18:00
,Hôpital Saint-Louis,Hospital,FR,Paris,Clinical research,,Claire,Martin,claire@aphp.example,-head of trials,,,
`

const opportunities = `participant_email,title,kind,summary,keywords,partner_kinds,expires
giulia@biotech.example,Antibody platform,offer,@mention a licence,antibodies;CAR-T,hospital;university,2027-12-31
claire@aphp.example,Clinical validation site,request,Sites for trials,,sme,
`

func newStore(t *testing.T, events ...string) *profiles.Store {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Update(func(tx *profiles.Tx) error {
		for _, id := range events {
			ev := &profiles.Event{ID: id, Name: "Brokerage " + id, TimeZone: "Europe/Rome", MeetingMinutes: 20, Tables: 4,
				Days: []profiles.Day{{Date: "2027-03-17", Sessions: []profiles.Session{{Name: "Day", Start: "09:00", End: "18:00"}}}}}
			if err := tx.CreateEvent(ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// importFile detects and imports one file into an event in its own transaction.
func importFile(s *profiles.Store, eventID, name string, data []byte) (profiles.CSVStats, error) {
	f, err := Detect(name, data)
	if err != nil {
		return profiles.CSVStats{}, err
	}
	var stats profiles.CSVStats
	err = s.Update(func(tx *profiles.Tx) error {
		stats, err = f.Import(tx, profiles.CSVOptions{EventID: eventID})
		return err
	})
	return stats, err
}

// export writes an event's participants and opportunities in a format.
func export(t *testing.T, s *profiles.Store, eventID string, f sheet.Format) (people, opps []byte) {
	t.Helper()
	var p, o bytes.Buffer
	err := s.View(func(tx *profiles.Tx) error {
		if err := sheet.WriteFile(&p, f, "participants", func(w *sheet.Writer) error { return tx.ExportParticipants(eventID, w) }); err != nil {
			return err
		}
		return sheet.WriteFile(&o, f, "opportunities", func(w *sheet.Writer) error { return tx.ExportOpportunities(eventID, w) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return p.Bytes(), o.Bytes()
}

// TestExportImportRoundTrip exports in every format, imports the export into
// a fresh event, and requires the second export to equal the first.
func TestExportImportRoundTrip(t *testing.T) {
	s := newStore(t, "src", "csv", "csv-excel", "xlsx")
	if _, err := importFile(s, "src", "people.csv", []byte(people)); err != nil {
		t.Fatal(err)
	}
	if _, err := importFile(s, "src", "opps.csv", []byte(opportunities)); err != nil {
		t.Fatal(err)
	}
	for _, f := range sheet.Formats {
		t.Run(f.String(), func(t *testing.T) {
			p1, o1 := export(t, s, "src", f)
			pf, err := Detect("people"+f.Ext(), p1)
			if err != nil {
				t.Fatal(err)
			}
			if pf.XLSX != (f == sheet.XLSX) || pf.Kind != profiles.CSVParticipants {
				t.Fatalf("detected %+v", pf)
			}
			stats, err := importFile(s, f.String(), "people"+f.Ext(), p1)
			if err != nil {
				t.Fatal(err)
			}
			if stats.ParticipantsCreated != 3 || stats.OrganizationsCreated != 2 {
				t.Errorf("stats %+v", stats)
			}
			if _, err := importFile(s, f.String(), "opps"+f.Ext(), o1); err != nil {
				t.Fatal(err)
			}
			p2, o2 := export(t, s, f.String(), f)
			if f != sheet.XLSX && (!bytes.Equal(p1, p2) || !bytes.Equal(o1, o2)) {
				t.Errorf("second export differs:\n%s\n---\n%s", p1, p2)
			}
			s.View(func(tx *profiles.Tx) error {
				g, err := tx.Participant(f.String(), "p-giulia-biotech-example")
				if err != nil {
					t.Fatal(err)
				}
				if g.JobTitle != `=HYPERLINK("http://x.example")` || g.MaxMeetings != 10 {
					t.Errorf("giulia after the round trip: %+v", g)
				}
				return nil
			})
		})
	}
}

// TestXLSXBadRowImportsNothing: a workbook whose third row is bad names
// that row and column, and the store keeps nothing of the rows before it.
func TestXLSXBadRowImportsNothing(t *testing.T) {
	s := newStore(t, "ev")
	var buf bytes.Buffer
	rows := [][]string{
		{"Organisation Name", "Kind", "Country", "First name", "Last name", "Email"},
		{"Acme", "sme", "IT", "Anna", "Rossi", "anna@acme.example"},
		{},
		{"Beta", "spaceship", "DE", "Bernd", "Bauer", "bernd@beta.example"},
	}
	err := sheet.WriteFile(&buf, sheet.XLSX, "registrations", func(w *sheet.Writer) error {
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = importFile(s, "ev", "registrations.xlsx", buf.Bytes())
	var le *profiles.LineError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a *profiles.LineError", err)
	}
	if le.File != "registrations.xlsx" || le.Line != 4 || le.Column != "Kind" || le.Value != "spaceship" || !errors.Is(err, profiles.ErrInvalid) {
		t.Errorf("error = %+v", le)
	}
	s.View(func(tx *profiles.Tx) error {
		if ps, _ := tx.Participants("ev"); len(ps) != 0 {
			t.Errorf("%d participants imported from a file with a bad row", len(ps))
		}
		return nil
	})
}

func TestDetectRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty.csv", nil},
		{"other.csv", []byte("a,b,c\n1,2,3\n")},
		{"broken.xlsx", []byte("PK\x03\x04not really a zip")},
	} {
		_, err := Detect(tc.name, tc.data)
		var le *profiles.LineError
		if !errors.As(err, &le) || le.Line != 1 || le.File != tc.name || !errors.Is(err, profiles.ErrInvalid) {
			t.Errorf("Detect(%s) error = %v, want a line-1 LineError wrapping ErrInvalid", tc.name, err)
		}
	}
}

// TestExportNeutralizesCells: no cell of a participants or opportunities
// export, in any format, starts like a formula.
func TestExportNeutralizesCells(t *testing.T) {
	s := newStore(t, "src")
	importFile(s, "src", "people.csv", []byte(people))
	importFile(s, "src", "opps.csv", []byte(opportunities))
	p, o := export(t, s, "src", sheet.CSV)
	for _, data := range [][]byte{p, o} {
		for _, line := range strings.Split(string(data), "\n") {
			for _, cell := range strings.Split(line, ",") {
				if sheet.Dangerous(strings.TrimPrefix(cell, `"`)) {
					t.Errorf("cell %q starts like a formula", cell)
				}
			}
		}
	}
	if !slices.Contains(strings.Split(strings.SplitN(string(p), "\n", 2)[0], ","), "participation_type") {
		t.Errorf("participants header lacks participation_type")
	}
}
