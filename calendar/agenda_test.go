package calendar

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
	"github.com/matchgrid/matchgrid/scheduler"
)

func agendaProblem() *scheduler.Problem {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		rome = time.FixedZone("CET", 3600)
	}
	p := &scheduler.Problem{
		Slots: []scheduler.Slot{
			{Day: 0, Session: 0, Tables: 2}, {Day: 0, Session: 0, Tables: 2},
			{Day: 0, Session: 1, Tables: 2}, {Day: 0, Session: 1, Tables: 2},
		},
		Participants: []scheduler.Participant{{ID: "ann"}, {ID: "bob"}, {ID: "cid"}, {ID: "dee"}},
		Meetings: []scheduler.Meeting{
			{ID: "ab", A: "ann", B: "bob"}, {ID: "ac", A: "ann", B: "cid"},
			{ID: "bd", A: "bob", B: "dee"}, {ID: "cd", A: "cid", B: "dee"},
		},
	}
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
	if _, err := AgendaFor(p, validTinyGrid(), "nobody"); !errors.Is(err, scheduler.ErrInvalidProblem) {
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

// parseICS reads WriteICS output back with the library's parser and
// checks the content lines: at most 75 octets, valid UTF-8, CRLF only.
func parseICS(t *testing.T, out string) *ics.Calendar {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > 75 || !utf8.ValidString(line) {
			t.Fatalf("bad content line %q", line)
		}
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Fatal("bare LF in output")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatalf("output does not parse: %v\n%s", err, out)
	}
	return cal
}

func TestWriteICSRoundTripsText(t *testing.T) {
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	texts := []string{
		"plain",
		"tab\there",
		"a,b;c\\d\ne",
		strings.Repeat("é", 100),
		strings.Repeat("✓😀", 60) + "x",
		strings.Repeat("Partnering; with, commas ", 10),
	}
	for _, text := range texts {
		entry := AgendaEntry{UID: "u@x", Start: start, End: start.Add(20 * time.Minute), Partner: text, Description: text}
		var buf bytes.Buffer
		if err := WriteICS(&buf, Calendar{Stamp: start}, []AgendaEntry{entry}); err != nil {
			t.Fatal(err)
		}
		events := parseICS(t, buf.String()).Events()
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		if got := events[0].GetProperty(ics.ComponentPropertyDescription).Value; ics.FromText(got) != text {
			t.Errorf("description %q came back as %q", text, ics.FromText(got))
		}
	}
}

func TestWriteICSTimeZone(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	before := time.Date(2026, 3, 10, 9, 0, 0, 0, rome) // CET
	after := time.Date(2026, 4, 2, 14, 30, 0, 0, rome) // CEST, after the change of 29 March
	entries := []AgendaEntry{
		{UID: "a@x", Start: before, End: before.Add(20 * time.Minute)},
		{UID: "b@x", Start: after, End: after.Add(20 * time.Minute), Sequence: 2},
	}
	var buf bytes.Buffer
	if err := WriteICS(&buf, Calendar{Stamp: before, TimeZone: rome}, entries); err != nil {
		t.Fatal(err)
	}
	out := unfold(buf.String())
	for _, want := range []string{
		"X-WR-TIMEZONE:Europe/Rome",
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Rome",
		"DTSTART;TZID=Europe/Rome:20260310T090000",
		"DTSTART;TZID=Europe/Rome:20260402T143000",
		"BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST",
		"BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET",
		"UID:b@x",
		"SEQUENCE:2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	for i, ev := range parseICS(t, buf.String()).Events() {
		got, err := ev.GetStartAt()
		if err != nil || !got.Equal(entries[i].Start) {
			t.Errorf("event %d starts at %v (%v), want %v", i, got, err, entries[i].Start)
		}
	}
	// A zone without daylight saving time has one observance.
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	buf.Reset()
	entries[0].Start, entries[0].End = entries[0].Start.In(tokyo), entries[0].End.In(tokyo)
	if err := WriteICS(&buf, Calendar{Stamp: before, TimeZone: tokyo}, entries[:1]); err != nil {
		t.Fatal(err)
	}
	out = unfold(buf.String())
	if strings.Count(out, "BEGIN:STANDARD") != 1 || strings.Contains(out, "DAYLIGHT") || !strings.Contains(out, "TZOFFSETTO:+0900") {
		t.Errorf("Tokyo time zone:\n%s", out)
	}
}

func TestWriteGridAndAgendaCSV(t *testing.T) {
	p := agendaProblem()
	p.Participants[0].Name = "=cmd()"
	var buf bytes.Buffer
	if err := WriteGridCSV(&buf, p, validTinyGrid(), nil); err != nil {
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

// validTinyGrid is a valid grid of agendaProblem.
func validTinyGrid() *scheduler.Grid {
	return &scheduler.Grid{Placements: []scheduler.Placement{
		{Slot: 1, Table: 0}, // ab
		{Slot: 0, Table: 1}, // ac
		{Slot: 2, Table: 0}, // bd
		{Slot: 1, Table: 1}, // cd
	}}
}

// TestWriteICSNeverWritesBareCR is the regression test of a bare CR that
// reached the ICS from a participant's name (issue 12, item 6): CR, CRLF
// and LF in a text become one escaped newline, other control characters
// are dropped, and an independent parser (github.com/arran4/golang-ical)
// reads back the cleaned text.
func TestWriteICSNeverWritesBareCR(t *testing.T) {
	start := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	tests := []struct{ in, want string }{
		{"Evil\rName", "Evil\nName"},
		{"Two\r\nLines\nand\rmore", "Two\nLines\nand\nmore"},
		{"nul\x00 bell\x07 del\x7f esc\x1b", "nul bell del esc"},
		{strings.Repeat("a\r", 60), strings.Repeat("a\n", 60)},
	}
	for _, tc := range tests {
		entry := AgendaEntry{UID: "u\r@x", Start: start, End: start.Add(20 * time.Minute), Partner: tc.in, Table: tc.in,
			Description: tc.in, VideoURL: "https://meet.example/\r\nX-INJECTED:1"}
		var buf bytes.Buffer
		if err := WriteICS(&buf, Calendar{Stamp: start, Name: tc.in}, []AgendaEntry{entry}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\r") {
			t.Fatalf("bare CR in output for %q:\n%q", tc.in, out)
		}
		if strings.Contains(out, "\r\nX-INJECTED") {
			t.Fatalf("a line break in a URL started a new property:\n%s", out)
		}
		ev := parseICS(t, out).Events()[0]
		if got := ics.FromText(ev.GetProperty(ics.ComponentPropertyDescription).Value); got != tc.want {
			t.Errorf("description %q came back as %q, want %q", tc.in, got, tc.want)
		}
		if got := ev.GetProperty(ics.ComponentPropertyUniqueId).Value; got != "u@x" {
			t.Errorf("UID came back as %q", got)
		}
	}
}
