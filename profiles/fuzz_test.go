package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzReadCORDISProjects(f *testing.F) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "cordis", "projects.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte("projectID,acronym,title,objective,startDate,keywords\n1,A,T,\"line\r\nbreak\",2024-01-01,\"a;\tb,c\x00\"\n"))
	f.Add([]byte("projectID;acronym;title;objective;startDate\n1;A;T;O;2024-13-01\n1;A;T;O;2024-01-01\n"))
	f.Add([]byte("\xef\xbb\xbfprojectID,acronym,title,objective,startDate,endDate\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		projects, err := ReadCORDISProjects(strings.NewReader(string(data)), "fuzz.csv")
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || le.File != "fuzz.csv" || le.Line < 1 {
				t.Fatalf("error %v is not a LineError with file and line", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range projects {
			if !ValidID(p.ID) || seen[p.ID] || p.Title == "" || p.StartDate.IsZero() {
				t.Fatalf("accepted an invalid or duplicate project: %+v", p)
			}
			seen[p.ID] = true
			for _, k := range p.Keywords {
				if k == "" || utf8.RuneCountInString(k) > CapName || controlIn(k) {
					t.Fatalf("keyword %q of project %s is empty, too long or holds a control character", k, p.ID)
				}
			}
		}
	})
}

func controlIn(s string) bool { _, _, bad := controlChar(s, false); return bad }

// Unavailability periods: whatever parses is a forward span, and printing
// it back and parsing again gives the same instants.
func FuzzParsePeriods(f *testing.F) {
	for _, s := range []string{
		"2027-03-16T12:00/2027-03-16T18:00",
		"2027-03-16 09:00/2027-03-16 09:20;2027-03-17T10:00/2027-03-17T11:00",
		"2027-03-28T01:30/2027-03-28T03:30", // the spring-forward night in Rome
		"2027-03-16T12:00:00Z/2027-03-16T13:00:00+02:00",
		"2027-03-16T12:00/2027-03-16T11:00",
		"/", "2027-02-30T10:00/2027-03-01T10:00",
		"0000-01-01 0:00/0000-01-01 0:10", // year -1 in UTC: JSON could not store it (found by this fuzzer)
	} {
		f.Add(s)
	}
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		periods, err := parsePeriods(strings.Split(s, ";"), loc)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		var again []string
		for _, p := range periods {
			if !p.End.After(p.Start) {
				t.Fatalf("period %v does not move forward", p)
			}
			again = append(again, p.Start.UTC().Format(time.RFC3339Nano)+"/"+p.End.UTC().Format(time.RFC3339Nano))
		}
		back, err := parsePeriods(again, loc)
		if err != nil {
			t.Fatalf("reparsing %q: %v", again, err)
		}
		for i := range back {
			if !back[i].Start.Equal(periods[i].Start) || !back[i].End.Equal(periods[i].End) {
				t.Fatalf("period %d: %v became %v", i, periods[i], back[i])
			}
		}
	})
}

// Event days, sessions and breaks: a valid event's slots are in time
// order, inside their sessions, never across a break, and the event
// validates or fails with a FieldError.
func FuzzEventSlots(f *testing.F) {
	f.Add("2027-03-16", "09:00", "12:00", "10:30", "10:45", 20, 5, "Europe/Rome")
	f.Add("2027-03-28", "01:00", "04:00", "02:00", "03:00", 30, 0, "Europe/Rome") // a day with 23 hours
	f.Add("2027-13-01", "9:00", "25:00", "", "", 5, 0, "Mars/Olympus")
	f.Fuzz(func(t *testing.T, date, start, end, breakStart, breakEnd string, minutes, gap int, zone string) {
		e := &Event{ID: "ev", Name: "Fuzz", TimeZone: zone, MeetingMinutes: minutes, GapMinutes: gap, Tables: 1,
			Days: []Day{{Date: date, Sessions: []Session{{Name: "S", Start: start, End: end}}}}}
		if breakStart != "" || breakEnd != "" {
			e.Days[0].Breaks = []Break{{Name: "B", Start: breakStart, End: breakEnd}}
		}
		err := e.Validate()
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FieldError", err)
			}
			return
		}
		slots, err := e.Slots()
		if err != nil || len(slots) == 0 {
			t.Fatalf("a valid event has slots %v, %v", slots, err)
		}
		for i, s := range slots {
			if s.Index != i || s.End.Sub(s.Start) != time.Duration(minutes)*time.Minute {
				t.Fatalf("slot %d is %+v", i, s)
			}
			if i > 0 && s.Start.Before(slots[i-1].End) {
				t.Fatalf("slot %d overlaps slot %d", i, i-1)
			}
		}
	})
}
