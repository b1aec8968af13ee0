package scheduler

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func agendaProblem() *Problem {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		rome = time.FixedZone("CET", 3600)
	}
	p := tinyProblem()
	base := time.Date(2026, 3, 10, 9, 0, 0, 0, rome)
	for s := range p.Slots {
		p.Slots[s].Start = base.Add(time.Duration(s) * 30 * time.Minute)
		p.Slots[s].End = p.Slots[s].Start.Add(25 * time.Minute)
	}
	p.Participants[1].Name = "Bob, Biotech; Inc."
	return p
}

func TestAgendaForListsMeetingsInTimeOrder(t *testing.T) {
	p := agendaProblem()
	entries, err := AgendaFor(p, validTinyGrid(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].MeetingID != "ab" || entries[1].MeetingID != "bd" {
		t.Fatalf("entries %+v", entries)
	}
	if entries[0].Partner != "ann" || entries[0].Table != "Table 1" || !entries[0].Start.Equal(p.Slots[1].Start) {
		t.Errorf("first entry %+v", entries[0])
	}
	if _, err := AgendaFor(p, validTinyGrid(), "nobody"); !errors.Is(err, ErrInvalidProblem) {
		t.Errorf("unknown participant: %v", err)
	}
}

func unfold(ics string) string { return strings.ReplaceAll(ics, "\r\n ", "") }

func TestWriteICS(t *testing.T) {
	p := agendaProblem()
	entries, err := AgendaFor(p, validTinyGrid(), "ann")
	if err != nil {
		t.Fatal(err)
	}
	entries[0].UID, entries[0].Sequence = "ac@matchgrid.example", 0
	entries[1].UID, entries[1].Sequence = "ab@matchgrid.example", 3
	entries[1].Status = StatusCancelled
	entries[1].Partner = p.Participants[1].Name
	entries[1].Description = strings.Repeat("Partnering on a long description with àccents ✓ and more text; ", 4)
	var buf bytes.Buffer
	stamp := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := WriteICS(&buf, Calendar{Name: "Meet in Italy", Stamp: stamp, Location: "Hall B"}, entries); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("folding split a UTF-8 character: %q", line)
		}
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("bare LF in output")
	}
	u := unfold(out)
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
		"UID:ac@matchgrid.example\r\nSEQUENCE:0\r\n",
		"UID:ab@matchgrid.example\r\nSEQUENCE:3\r\n",
		"DTSTAMP:20260301T120000Z",
		"DTSTART:20260310T080000Z", // slot 0 at 09:00 in Rome is 08:00 UTC
		`SUMMARY:Meeting with Bob\, Biotech\; Inc.`,
		"LOCATION:Hall B\\, Table 2",
		"STATUS:CANCELLED",
		"STATUS:CONFIRMED",
		"àccents ✓ and more text\\; Partnering",
		"END:VCALENDAR\r\n",
	} {
		if !strings.Contains(u, want) {
			t.Errorf("missing %q in\n%s", want, u)
		}
	}
	if n := strings.Count(u, "BEGIN:VEVENT"); n != 2 {
		t.Errorf("%d events, want 2", n)
	}
}

func TestWriteICSRejectsBadEntries(t *testing.T) {
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	good := AgendaEntry{UID: "x", Start: start, End: start.Add(time.Minute)}
	tests := []struct {
		name  string
		cal   Calendar
		entry AgendaEntry
	}{
		{"no stamp", Calendar{}, good},
		{"no uid", Calendar{Stamp: start}, AgendaEntry{Start: good.Start, End: good.End}},
		{"end before start", Calendar{Stamp: start}, AgendaEntry{UID: "x", Start: good.End, End: good.Start}},
		{"negative sequence", Calendar{Stamp: start}, AgendaEntry{UID: "x", Start: good.Start, End: good.End, Sequence: -1}},
		{"bad status", Calendar{Stamp: start}, AgendaEntry{UID: "x", Start: good.Start, End: good.End, Status: "MAYBE"}},
	}
	for _, tc := range tests {
		if err := WriteICS(&bytes.Buffer{}, tc.cal, []AgendaEntry{tc.entry}); !errors.Is(err, ErrInvalidAgenda) {
			t.Errorf("%s: want ErrInvalidAgenda, got %v", tc.name, err)
		}
	}
}

func TestFoldingAndEscaping(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a,b;c\\d\ne\r", `a\,b\;c\\d\ne`},
		{"plain", "plain"},
		{"bell\x07", "bell"},
	}
	for _, tc := range tests {
		if got := escapeText(tc.in); got != tc.want {
			t.Errorf("escapeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, n := range []int{74, 75, 76, 150, 151, 300} {
		for _, unit := range []string{"x", "é", "✓", "😀"} {
			s := "X:" + strings.Repeat(unit, n)
			var buf bytes.Buffer
			w := bufio.NewWriter(&buf)
			writeFolded(w, s)
			w.Flush()
			out := buf.String()
			for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
				if len(line) > 75 || !utf8.ValidString(line) {
					t.Fatalf("bad folded line %q", line)
				}
			}
			if unfold(strings.TrimSuffix(out, "\r\n")) != s {
				t.Fatalf("unfolding does not give back the line for %d x %q", n, unit)
			}
		}
	}
}

func TestWriteGridAndAgendaCSV(t *testing.T) {
	p := agendaProblem()
	p.Participants[0].Name = "=cmd()"
	var buf bytes.Buffer
	if err := WriteGridCSV(&buf, p, validTinyGrid()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || len(rows[0]) != 5 {
		t.Fatalf("grid is %d x %d, want 5 x 5", len(rows), len(rows[0]))
	}
	if rows[0][3] != "Table 1" || rows[2][3] != "'=cmd() / Bob, Biotech; Inc." || rows[1][4] != "'=cmd() / cid" {
		t.Errorf("grid rows %q", rows)
	}
	entries, err := AgendaFor(p, validTinyGrid(), "dee")
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := WriteAgendaCSV(&buf, entries); err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][4] != "cid" || rows[2][4] != "Bob, Biotech; Inc." || rows[1][6] != "CONFIRMED" {
		t.Errorf("agenda rows %q", rows)
	}
}
