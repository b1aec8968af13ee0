package matchgrid

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
)

// hostileNames gives openSmall's people, organizations and opportunity
// values that a spreadsheet would run as formulas, as a participant could.
func hostileNames(t *testing.T, eng *Engine) {
	t.Helper()
	err := eng.Store().Update(func(tx *profiles.Tx) error {
		p, _ := tx.Participant("ev", "p3")
		p.FirstName, p.LastName, p.Email, p.JobTitle = "=cmd|'/Ccalc.exe'!A0", "+Cy", "=cmd|'/Ccalc.exe'!A0@x.example", "-boss"
		o, _ := tx.Organization("ev", "c")
		o.Name, o.City = "@SUM(1+1)", "-Paris"
		opp, _ := tx.Opportunity("ev", "o1")
		opp.Title, opp.Summary = "=HYPERLINK(\"http://evil.example\")", "\tsummary"
		m, _ := tx.Meeting("ev", "m-r13")
		return errors.Join(tx.UpdateParticipant(p), tx.UpdateOrganization(o), tx.UpdateOpportunity(opp),
			tx.ReportMeeting(&profiles.MeetingReport{EventID: "ev", MeetingID: m.ID, ParticipantID: "p1", Attendance: profiles.AttendanceHeld,
				Agreement: profiles.AgreementLicense, ReportedAt: time.Date(2027, 3, 17, 0, 0, 0, 0, time.UTC)}))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// cells parses an export in any format into its cells.
func cells(t *testing.T, f sheet.Format, data []byte) [][]string {
	t.Helper()
	if f == sheet.XLSX {
		r, err := sheet.NewXLSXReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var rows [][]string
		for {
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				return rows
			}
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row)
		}
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
	cr.FieldsPerRecord = -1
	if f == sheet.CSVExcel {
		cr.Comma = ';'
	}
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestEveryExportIsNeutralized walks every export (and the personal
// links) in every format: no cell starts like a formula, and the hostile
// values are there, neutralised, rather than dropped.
func TestEveryExportIsNeutralized(t *testing.T) {
	eng := openSmall(t)
	hostileNames(t, eng)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := eng.StartNotifications(ctx, NotifyOptions{Mail: &MailOptions{Dev: true, PublicURL: "http://h"}}); err != nil {
		t.Fatal(err)
	}
	links, _, err := eng.MailLinks("ev", nil) // the mail log gets the hostile address
	if err != nil {
		t.Fatal(err)
	}
	type export struct {
		name  string
		write func(w io.Writer, f sheet.Format) error
		// hostile must appear neutralised in the file
		hostile string
	}
	var exports []export
	for _, x := range Exports {
		hostile := map[Export]string{ExportParticipants: "=cmd|'/Ccalc.exe'!A0@x.example", ExportOpportunities: `=HYPERLINK("http://evil.example")`,
			ExportAgendas: "@SUM(1+1)", ExportMailLog: "=cmd|'/Ccalc.exe'!A0@x.example"}[x]
		exports = append(exports, export{string(x), func(w io.Writer, f sheet.Format) error { return eng.WriteExport(w, "ev", x, f) }, hostile})
	}
	exports = append(exports, export{"links", func(w io.Writer, f sheet.Format) error { return WriteLinks(w, f, "http://h", links) }, "=cmd|'/Ccalc.exe'!A0@x.example"})
	for _, x := range exports {
		for _, f := range sheet.Formats {
			t.Run(x.name+"/"+f.String(), func(t *testing.T) {
				var buf bytes.Buffer
				if err := x.write(&buf, f); err != nil {
					t.Fatal(err)
				}
				rows := cells(t, f, buf.Bytes())
				if len(rows) < 2 {
					t.Fatalf("%d rows", len(rows))
				}
				found := x.hostile == ""
				for i, row := range rows {
					for j, c := range row {
						if sheet.Dangerous(c) {
							t.Errorf("row %d column %d: %q starts like a formula", i+1, j+1, c)
						}
						if x.hostile != "" && c == "'"+x.hostile {
							found = true
						}
					}
				}
				if !found {
					t.Errorf("the hostile value %q is not in the export, neutralised", x.hostile)
				}
			})
		}
	}
}

func TestFunnel(t *testing.T) {
	eng := openSmall(t)
	hostileNames(t, eng) // reports m-r13 held with a license agreement
	f, err := eng.Funnel("ev", 5)
	if err != nil {
		t.Fatal(err)
	}
	// Requests: p1-p3, p2-p3, p2-p4, p1-p2, p3-p4. Accepted: p1-p3, p1-p2
	// (requests), p3-p4 (a meeting, cancelled later), p2-p4 (organizer's meeting).
	if f.Requested != 5 || f.Accepted != 4 || f.Held != 1 || f.WithAgreement != 1 || f.NoShow != 0 || f.Reports != 1 {
		t.Errorf("funnel %+v", f)
	}
	if len(f.Agreements) != 1 || f.Agreements[0] != (Count{Value: string(profiles.AgreementLicense), Count: 1}) {
		t.Errorf("agreements %+v", f.Agreements)
	}
	if f.SuggestionsPer != 5 || f.RequestedSuggested > f.Suggested { // the small event's profiles have no text to match
		t.Errorf("suggested stage %+v", f)
	}
	if _, err := eng.Funnel("nope", 0); !errors.Is(err, profiles.ErrNotFound) {
		t.Errorf("unknown event: %v", err)
	}
	var buf bytes.Buffer
	if err := eng.WriteExport(&buf, "ev", ExportFunnel, sheet.CSV); err != nil || !strings.Contains(buf.String(), "License agreement,1") {
		t.Errorf("funnel export (%v):\n%s", err, buf.String())
	}
}
