package calendar

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Calendar describes the iCalendar object that WriteICS writes around the
// entries.
type Calendar struct {
	// ProdID identifies the producer; "-//matchgrid//matchgrid//EN" when empty.
	ProdID string
	// Name is shown by calendar applications (X-WR-CALNAME), optional.
	Name string
	// Stamp is the DTSTAMP of every event: when the agenda was generated.
	// It must be set; it is not taken from the clock so output is reproducible.
	Stamp time.Time
	// Location prefixes every LOCATION, e.g. the venue: "Hall B, Table 12".
	Location string
	// TimeZone is the event's time zone. Times are then written as local
	// times with its TZID and the calendar carries a VTIMEZONE describing
	// its offsets over the event's years; nil writes UTC times.
	TimeZone *time.Location
}

// WriteICS writes one participant's agenda as an iCalendar (RFC 5545)
// object with one VEVENT per entry. UID and SEQUENCE come from the entry;
// cancelled entries carry STATUS:CANCELLED so that the application removes
// the event it already has. Escaping and line folding are the
// github.com/arran4/golang-ical library's.
func WriteICS(w io.Writer, cal Calendar, entries []AgendaEntry) error {
	if cal.Stamp.IsZero() {
		return fmt.Errorf("%w: Calendar.Stamp is zero", ErrInvalidAgenda)
	}
	for i, e := range entries {
		switch {
		case e.UID == "":
			return fmt.Errorf("%w: entry %d (meeting %q): UID is empty", ErrInvalidAgenda, i, e.MeetingID)
		case e.Sequence < 0:
			return fmt.Errorf("%w: entry %d (UID %q): Sequence = %d", ErrInvalidAgenda, i, e.UID, e.Sequence)
		case e.Start.IsZero() || e.End.IsZero():
			return fmt.Errorf("%w: entry %d (UID %q): Start or End is zero", ErrInvalidAgenda, i, e.UID)
		case !e.End.After(e.Start):
			return fmt.Errorf("%w: entry %d (UID %q): End %v is not after Start %v", ErrInvalidAgenda, i, e.UID, e.End, e.Start)
		case e.Status != "" && e.Status != StatusConfirmed && e.Status != StatusCancelled:
			return fmt.Errorf("%w: entry %d (UID %q): Status = %q", ErrInvalidAgenda, i, e.UID, e.Status)
		}
	}
	c := ics.NewCalendar()
	prod := cal.ProdID
	if prod == "" {
		prod = "-//matchgrid//matchgrid//EN"
	}
	c.SetProductId(prod)
	c.SetCalscale("GREGORIAN")
	c.SetMethod(ics.MethodPublish)
	if cal.Name != "" {
		c.SetXWRCalName(cal.Name)
	}
	setTime := func(ev *ics.VEvent, prop ics.ComponentProperty, t time.Time) {
		if cal.TimeZone == nil {
			ev.SetProperty(prop, t.UTC().Format("20060102T150405Z"))
			return
		}
		ev.SetProperty(prop, t.In(cal.TimeZone).Format("20060102T150405"), ics.WithTZID(cal.TimeZone.String()))
	}
	if cal.TimeZone != nil && len(entries) > 0 {
		c.SetXWRTimezone(cal.TimeZone.String())
		c.AddVTimezone(vtimezone(cal.TimeZone, entries))
	}
	for _, e := range entries {
		ev := c.AddEvent(e.UID)
		ev.SetSequence(e.Sequence)
		ev.SetDtStampTime(cal.Stamp)
		setTime(ev, ics.ComponentPropertyDtStart, e.Start)
		setTime(ev, ics.ComponentPropertyDtEnd, e.End)
		summary := "Meeting"
		if e.Partner != "" {
			summary = "Meeting with " + e.Partner
			if e.Organization != "" {
				summary += " (" + e.Organization + ")"
			}
		}
		ev.SetSummary(summary)
		loc := e.Table
		if cal.Location != "" && loc != "" {
			loc = cal.Location + ", " + loc
		} else if loc == "" {
			loc = cal.Location
		}
		if loc != "" {
			ev.SetLocation(loc)
		}
		if e.Description != "" {
			ev.SetDescription(lineBreaks.Replace(e.Description))
		}
		status := ics.ObjectStatusConfirmed
		if e.Status == StatusCancelled {
			status = ics.ObjectStatusCancelled
		}
		ev.SetStatus(status)
		ev.SetTimeTransparency(ics.TransparencyOpaque)
	}
	return c.SerializeTo(w, ics.WithNewLine("\r\n"))
}

// lineBreaks turns CR LF (what browsers send from a text area) and a lone
// CR into LF, which the library escapes as \n: a CR would otherwise reach
// the output bare, and a bare CR breaks content lines (RFC 5545 3.1).
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// vtimezone describes loc over the whole years the entries fall in. Go's
// time package does not expose a zone's rules, only its offsets at given
// instants, so the transitions are found by search and written as dated
// STANDARD and DAYLIGHT observances (RFC 5545 allows rules or dates).
func vtimezone(loc *time.Location, entries []AgendaEntry) *ics.VTimezone {
	first, last := entries[0].Start, entries[0].End
	for _, e := range entries {
		first, last = minTime(first, e.Start), maxTime(last, e.End)
	}
	from := time.Date(first.In(loc).Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(last.In(loc).Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)

	tz := ics.NewTimezone(loc.String())
	observe := func(at time.Time, offsetFrom int) {
		name, offset := at.In(loc).Zone()
		var comp *ics.ComponentBase
		if at.In(loc).IsDST() {
			d := &ics.Daylight{}
			tz.Components = append(tz.Components, d)
			comp = &d.ComponentBase
		} else {
			s := tz.AddStandard()
			comp = &s.ComponentBase
		}
		// DTSTART of an observance is the local time in the offset in force before it.
		comp.SetProperty(ics.ComponentPropertyDtStart, at.In(time.FixedZone("", offsetFrom)).Format("20060102T150405"))
		comp.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), icsOffset(offsetFrom))
		comp.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), icsOffset(offset))
		if name != "" && name[0] != '+' && name[0] != '-' {
			comp.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
		}
	}
	_, offset := from.In(loc).Zone()
	observe(from, offset) // the offset in force at the start of the range
	for day := from; day.Before(to); day = day.Add(24 * time.Hour) {
		next := day.Add(24 * time.Hour)
		_, before := day.In(loc).Zone()
		if _, after := next.In(loc).Zone(); after != before {
			observe(transition(loc, day, next), before)
		}
	}
	return tz
}

// transition finds, to the second, the instant in (lo, hi] at which loc's
// offset changes, given that it differs between lo and hi.
func transition(loc *time.Location, lo, hi time.Time) time.Time {
	_, start := lo.In(loc).Zone()
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		if _, off := mid.In(loc).Zone(); off == start {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// icsOffset formats a UTC offset in seconds as RFC 5545 UTC-OFFSET (+0100).
func icsOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	s := sign + fmt.Sprintf("%02d%02d", seconds/3600, seconds%3600/60)
	if rest := seconds % 60; rest != 0 {
		s += strconv.Itoa(rest/10) + strconv.Itoa(rest%10)
	}
	return s
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
