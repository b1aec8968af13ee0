package profiles

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

const participantsCSV = `organization_id,organization,kind,country,city,website,description,sectors,keywords,first_name,last_name,email,job_title,participation_type,max_meetings,unavailable
biotech-srl,BioTech Srl,SME,IT,Torino,https://biotech.example,Monoclonal antibodies for oncology,Biotechnology;Oncology,antibodies;CAR-T,Giulia,Neri,giulia@biotech.example,CEO,delegate,10,
biotech-srl,BioTech Srl,SME,IT,Torino,https://biotech.example,Monoclonal antibodies for oncology,Biotechnology;Oncology,antibodies;CAR-T,Paolo,Conti,paolo@biotech.example,CSO,exhibitor,,2027-03-17T12:00/2027-03-17T18:00
,Hôpital Saint-Louis,Hospital,fr,Paris,,,"Clinical research",,Claire,Martin,claire@aphp.example,Head of clinical trials,,,
`

// importCSV runs one CSV import in its own transaction.
func importCSV(s *Store, kind CSVKind, body string) (CSVStats, error) {
	var stats CSVStats
	err := s.Update(func(tx *Tx) error {
		var err error
		opts := CSVOptions{EventID: "ev", File: "people.csv"}
		if kind == CSVParticipants {
			stats, err = tx.ImportParticipantsCSV(strings.NewReader(body), opts)
		} else {
			stats, err = tx.ImportOpportunitiesCSV(strings.NewReader(body), opts)
		}
		return err
	})
	return stats, err
}

func TestImportParticipantsCSV(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		stats, err := importCSV(s, CSVParticipants, participantsCSV)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Rows != 3 || stats.OrganizationsCreated != 2 || stats.ParticipantsCreated != 3 {
			t.Errorf("stats = %+v", stats)
		}
		s.View(func(tx *Tx) error {
			org, err := tx.Organization("ev", "hopital-saint-louis-fr")
			if err != nil {
				t.Fatalf("derived organization ID: %v", err)
			}
			if org.Kind != KindHospital || org.Country != "FR" {
				t.Errorf("organization = %+v", org)
			}
			p, err := tx.Participant("ev", "p-paolo-biotech-example")
			if err != nil {
				t.Fatal(err)
			}
			if p.Type != TypeExhibitor || len(p.Unavailable) != 1 || p.Unavailable[0].Start.Hour() != 12 {
				t.Errorf("participant = %+v", p)
			}
			rome, _ := time.LoadLocation("Europe/Rome")
			if want := time.Date(2027, 3, 17, 12, 0, 0, 0, rome); !p.Unavailable[0].Start.Equal(want) {
				t.Errorf("unavailable from %v, want %v (the event's zone)", p.Unavailable[0].Start, want)
			}
			g, _ := tx.Participant("ev", "p-giulia-biotech-example")
			if g.MaxMeetings != 10 || g.Type != TypeDelegate {
				t.Errorf("giulia = %+v", g)
			}
			org, _ = tx.Organization("ev", "biotech-srl")
			if strings.Join(org.Sectors, "|") != "Biotechnology|Oncology" || org.Descriptions["en"] == "" {
				t.Errorf("biotech = %+v", org)
			}
			return nil
		})
		// Re-importing the same file updates, and keeps what the file does not carry.
		s.Update(func(tx *Tx) error {
			p, _ := tx.Participant("ev", "p-giulia-biotech-example")
			p.SecretHash = HashSecret("giulia")
			return tx.UpdateParticipant(p)
		})
		stats, err = importCSV(s, CSVParticipants, participantsCSV)
		if err != nil {
			t.Fatal(err)
		}
		if stats.ParticipantsUpdated != 3 || stats.ParticipantsCreated != 0 {
			t.Errorf("re-import stats = %+v", stats)
		}
		s.View(func(tx *Tx) error {
			if _, err := tx.ParticipantBySecret("ev", "giulia"); err != nil {
				t.Errorf("re-import lost the secret: %v", err)
			}
			return nil
		})
	})
}

func TestImportCSVBadRowChangesNothing(t *testing.T) {
	tests := []struct {
		name, body string
		kind       CSVKind
		line       int
		column     string
		value      string
	}{
		{"bad country", participantsCSV + "x,X Ltd,sme,Italy,,,,,,Al,B,al@x.example,,,,\n", CSVParticipants, 5, "country", "Italy"},
		{"bad kind", participantsCSV + "x,X Ltd,bank,IT,,,,,,Al,B,al@x.example,,,,\n", CSVParticipants, 5, "kind", "bank"},
		{"bad email", participantsCSV + "x,X Ltd,sme,IT,,,,,,Al,B,not-an-email,,,,\n", CSVParticipants, 5, "email", "not-an-email"},
		{"bad max meetings", strings.Replace(participantsCSV, "CEO,delegate,10", "CEO,delegate,ten", 1), CSVParticipants, 2, "max_meetings", "ten"},
		{"kind differs for one organization", strings.Replace(participantsCSV, "SME,IT,Torino,https://biotech.example,Monoclonal antibodies for oncology,Biotechnology;Oncology,antibodies;CAR-T,Paolo", "University,IT,Torino,https://biotech.example,Monoclonal antibodies for oncology,Biotechnology;Oncology,antibodies;CAR-T,Paolo", 1), CSVParticipants, 3, "kind", "University"},
		{"bad period", participantsCSV + "x,X Ltd,sme,IT,,,,,,Al,B,al@x.example,,,,tomorrow\n", CSVParticipants, 5, "unavailable", "tomorrow"},
		{"wrong field count", participantsCSV + "x,X Ltd,sme\n", CSVParticipants, 5, "", ""},
		{"duplicate participant", participantsCSV + "y,Y Ltd,sme,IT,,,,,,Gi,N,giulia@biotech.example,,,,\n", CSVParticipants, 5, "email", "giulia@biotech.example"},
		{"unknown participant", "participant_email,title,profile_type\nanna@acme.example,Sepsis kit,technology_offer\nnobody@x.example,Other,technology_offer\n", CSVOpportunities, 3, "participant_email", "nobody@x.example"},
		{"bad profile type", "participant_id,title,profile_type\nanna,Sepsis kit,technology_offer\nanna,Other,licence\n", CSVOpportunities, 3, "profile_type", "licence"},
		{"bad stage", "participant_id,title,kind,stage\nanna,Sepsis kit,offer,idea\n", CSVOpportunities, 2, "stage", "idea"},
		{"multi-line quoted field", "participant_id,title,summary,kind,stage\nanna,Sepsis kit,\"Rapid\r\ntest\",offer,prototype\nanna,Other,,offer,idea\n", CSVOpportunities, 4, "stage", "idea"},
		{"line break in a title", "participant_id,title,kind\nanna,\"Sepsis\nkit\",offer\n", CSVOpportunities, 2, "title", "Sepsis\nkit"},
		{"NUL in an organization name", participantsCSV + "x,X\x00 Ltd,sme,IT,,,,,,Al,B,al@x.example,,,,\n", CSVParticipants, 5, "organization", "X\x00 Ltd"},
		{"bare CR in a last name", participantsCSV + "x,X Ltd,sme,IT,,,,,,Al,B\rC,al@x.example,,,,\n", CSVParticipants, 5, "last_name", "B\rC"},
		{"overlong title", "participant_id,title,kind\nanna," + strings.Repeat("é", CapName+1) + ",offer\n", CSVOpportunities, 2, "title", strings.Repeat("é", CapName+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			seed(t, s, "ev")
			before := snapshot(t, s)
			_, err := importCSV(s, tt.kind, tt.body)
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LineError", err)
			}
			if le.File != "people.csv" || le.Line != tt.line || le.Column != tt.column || le.Value != tt.value {
				t.Errorf("error at %s:%d column %q value %q, want line %d column %q value %q (%v)", le.File, le.Line, le.Column, le.Value, tt.line, tt.column, tt.value, err)
			}
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
				t.Errorf("err %v wraps no sentinel", err)
			}
			if after := snapshot(t, s); !bytes.Equal(before, after) {
				t.Errorf("a file with a bad row changed the store")
			}
		})
	}
}

func TestImportOpportunitiesCSV(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		body := "\ufeffparticipant_email;title;profile_type;keywords;partner_kinds;language;expires\n" +
			"anna@acme.example;Test rapido per la sepsi;technology_offer;sepsi|diagnostica;Hospital|research centre;it;2027-12-31\n"
		stats, err := importCSV(s, CSVOpportunities, body)
		if err != nil {
			t.Fatal(err)
		}
		if stats.OpportunitiesCreated != 1 {
			t.Fatalf("stats = %+v", stats)
		}
		s.View(func(tx *Tx) error {
			os, _ := tx.OpportunitiesOfParticipant("ev", "anna")
			var got *Opportunity
			for i := range os {
				if os[i].Language == "it" {
					got = &os[i]
				}
			}
			if got == nil {
				t.Fatalf("no Italian opportunity among %v", os)
			}
			if got.Kind != KindOffer || got.OrganizationID != "acme" || len(got.PartnerSought.Kinds) != 2 || got.Expires == nil || len(got.Keywords) != 2 {
				t.Errorf("opportunity = %+v", got)
			}
			return nil
		})
		// Same file again: the derived ID is stable, so it updates.
		if stats, err = importCSV(s, CSVOpportunities, body); err != nil || stats.OpportunitiesUpdated != 1 {
			t.Errorf("re-import = %+v, %v; want one update", stats, err)
		}
	})
}

func TestDetectCSVKind(t *testing.T) {
	tests := []struct {
		header string
		want   CSVKind
	}{
		{"Organisation Name,Kind,Country,Email", CSVParticipants},
		{"organization;kind;country", CSVParticipants},
		{"participant_email,title", CSVOpportunities},
		{"foo,bar", ""},
	}
	for _, tt := range tests {
		got, err := DetectCSVKind(strings.NewReader(tt.header+"\n"), "f.csv")
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("DetectCSVKind(%q) = %q, %v; want %q", tt.header, got, err, tt.want)
		}
	}
}

func FuzzImportParticipantsCSV(f *testing.F) {
	f.Add([]byte(participantsCSV))
	f.Add([]byte("organization,kind,country,last_name\nA,sme,IT,B\n"))
	f.Add([]byte("organization;kind;country;name;unavailable\nA;sme;IT;B C;2027-03-16T09:00/2027-03-16T10:00\n"))
	f.Add([]byte("\"unterminated\n"))
	// One store for the whole run: opening and seeding a file per input would
	// leave the fuzzer a few inputs a second. Each input is checked against
	// the state it started from.
	s := openTestStore(f)
	seed(f, s, "ev")
	f.Fuzz(func(t *testing.T, data []byte) {
		before := snapshot(t, s)
		_, err := importCSV(s, CSVParticipants, string(data))
		if err == nil {
			return
		}
		var le *LineError
		if !errors.As(err, &le) {
			t.Fatalf("error %v is not a *LineError", err)
		}
		if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
			t.Fatalf("error %v wraps no sentinel", err)
		}
		if !bytes.Equal(before, snapshot(t, s)) {
			t.Fatalf("a failed import changed the store")
		}
	})
}

func FuzzImportOpportunitiesCSV(f *testing.F) {
	f.Add([]byte("participant_id,title,kind\nanna,X,offer\n"))
	f.Add([]byte("participant_email,title,profile_type,expires\nanna@acme.example,X,rd_request,2027-01-01\n"))
	s := openTestStore(f)
	seed(f, s, "ev")
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := importCSV(s, CSVOpportunities, string(data))
		var le *LineError
		if err != nil && !errors.As(err, &le) {
			t.Fatalf("error %v is not a *LineError", err)
		}
	})
}
