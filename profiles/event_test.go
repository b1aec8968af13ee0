package profiles

import (
	"errors"
	"math"
	"testing"
)

func TestEventSlots(t *testing.T) {
	ev := testEvent("e")
	slots, err := ev.Slots()
	if err != nil {
		t.Fatal(err)
	}
	// Day 1 morning 09:00-12:00 with a 10:30-10:45 break: 09:00, 09:20, 09:40, 10:00, (10:20 overlaps) 10:45, 11:05, 11:25 = 7;
	// afternoon 14:00-16:00: 6; day 2 09:00-11:00: 6.
	if got, want := len(slots), 19; got != want {
		t.Fatalf("slots = %d, want %d", got, want)
	}
	if got := slots[4].Start.Format("15:04"); got != "10:45" {
		t.Errorf("slot after the coffee break starts at %s, want 10:45", got)
	}
	if slots[7].Session != 1 || slots[13].Day != 1 || slots[13].Session != 2 {
		t.Errorf("sessions/days wrong: slot 7 %+v, slot 13 %+v", slots[7], slots[13])
	}
	for i, s := range slots {
		if s.Index != i {
			t.Fatalf("slot %d has index %d", i, s.Index)
		}
		if name, _ := s.Start.Zone(); name != "CET" {
			t.Fatalf("slot %d in zone %s, want the event's (CET)", i, name)
		}
	}
}

func TestEventValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Event)
		field  string
	}{
		{"bad id", func(e *Event) { e.ID = "has space" }, "id"},
		{"no name", func(e *Event) { e.Name = "" }, "name"},
		{"bad zone", func(e *Event) { e.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"meeting too short", func(e *Event) { e.MeetingMinutes = 1 }, "meeting_minutes"},
		{"no tables", func(e *Event) { e.Tables = 0 }, "tables"},
		{"table names short", func(e *Event) { e.TableNames = []string{"A"} }, "table_names"},
		{"bad date", func(e *Event) { e.Days[0].Date = "16/03/2027" }, "days[0].date"},
		{"days out of order", func(e *Event) { e.Days[1].Date = "2027-03-15" }, "days[1].date"},
		{"session ends before start", func(e *Event) { e.Days[0].Sessions[0].End = "08:00" }, "days[0].sessions[0].end"},
		{"overlapping sessions", func(e *Event) { e.Days[0].Sessions[1].Start = "11:00" }, "days[0].sessions[1].start"},
		{"bad rule type", func(e *Event) { e.MeetingRules = []MeetingRule{{Type: "alien"}} }, "meeting_rules[0].type"},
		{"weight not a number", func(e *Event) { e.MatchWeights = map[string]float64{"codes": math.NaN()} }, "match_weights.codes"},
		{"no slot fits", func(e *Event) { e.MeetingMinutes = 240; e.Days = e.Days[1:] }, "days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := testEvent("e")
			tt.change(ev)
			err := ev.Validate()
			var fe *FieldError
			if !errors.As(err, &fe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want a FieldError wrapping ErrInvalid", err)
			}
			if fe.Field != tt.field {
				t.Errorf("field = %q, want %q (%v)", fe.Field, tt.field, err)
			}
		})
	}
	if err := testEvent("ok").Validate(); err != nil {
		t.Errorf("valid event: %v", err)
	}
}

func TestMayMeet(t *testing.T) {
	ev := testEvent("e")
	ev.MeetingRules = []MeetingRule{{Type: TypeInvestor, MayMeet: []ParticipationType{TypeDelegate, TypeExhibitor}}}
	tests := []struct {
		a, b ParticipationType
		want bool
	}{
		{TypeInvestor, TypeDelegate, true},
		{TypeDelegate, TypeInvestor, true},
		{TypeInvestor, TypeInvestor, false},
		{TypeVisitor, TypeInvestor, false},
		{TypeVisitor, TypeDelegate, true},
	}
	for _, tt := range tests {
		if got := ev.MayMeet(tt.a, tt.b); got != tt.want {
			t.Errorf("MayMeet(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
