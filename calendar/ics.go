package calendar

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
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
// the event it already has; a video meeting carries its link as URL (and
// as LOCATION when there is no table). Text is escaped (backslash,
// semicolon, comma, newline) after every line break became a newline and
// other control characters were dropped, so that no bare CR or LF reaches
// the output, and content lines are folded at 75 octets without splitting
// a UTF-8 character (icsWriter).
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
	iw := &icsWriter{}
	prod := cal.ProdID
	if prod == "" {
		prod = "-//matchgrid//matchgrid//EN"
	}
	iw.line("BEGIN", "VCALENDAR")
	iw.line("VERSION", "2.0")
	iw.text("PRODID", prod)
	iw.line("CALSCALE", "GREGORIAN")
	iw.line("METHOD", "PUBLISH")
	if cal.Name != "" {
		iw.text("X-WR-CALNAME", cal.Name)
	}
	if cal.TimeZone != nil && len(entries) > 0 {
		iw.text("X-WR-TIMEZONE", cal.TimeZone.String())
		vtimezone(iw, cal.TimeZone, entries)
	}
	for _, e := range entries {
		iw.event(cal, e)
	}
	iw.line("END", "VCALENDAR")
	_, err := io.WriteString(w, iw.b.String())
	return err
}

// event writes the VEVENT of one entry.
func (iw *icsWriter) event(cal Calendar, e AgendaEntry) {
	iw.line("BEGIN", "VEVENT")
	iw.text("UID", strings.ReplaceAll(iwClean(e.UID), "\n", ""))
	iw.line("SEQUENCE", strconv.Itoa(e.Sequence))
	iw.line("DTSTAMP", cal.Stamp.UTC().Format("20060102T150405Z"))
	iw.time("DTSTART", cal.TimeZone, e.Start)
	iw.time("DTEND", cal.TimeZone, e.End)
	summary := "Meeting"
	if e.Partner != "" {
		summary = "Meeting with " + e.Partner
		if e.Organization != "" {
			summary += " (" + e.Organization + ")"
		}
	}
	iw.text("SUMMARY", summary)
	loc := e.Table
	if cal.Location != "" && loc != "" {
		loc = cal.Location + ", " + loc
	} else if loc == "" {
		loc = cal.Location
	}
	if e.VideoURL != "" {
		if e.Table == "" {
			loc = e.VideoURL // an online participant's place is the call
		}
		iw.line("URL", uriValue(e.VideoURL))
	}
	if loc != "" {
		iw.text("LOCATION", loc)
	}
	if e.Description != "" {
		iw.text("DESCRIPTION", e.Description)
	}
	status := "CONFIRMED"
	if e.Status == StatusCancelled {
		status = "CANCELLED"
	}
	iw.line("STATUS", status)
	iw.line("TRANSP", "OPAQUE")
	iw.line("END", "VEVENT")
}

// vtimezone describes loc over the whole years the entries fall in. Go's
// time package does not expose a zone's rules, only its offsets at given
// instants, so the transitions are found by search and written as dated
// STANDARD and DAYLIGHT observances (RFC 5545 allows rules or dates).
func vtimezone(iw *icsWriter, loc *time.Location, entries []AgendaEntry) {
	first, last := entries[0].Start, entries[0].End
	for _, e := range entries {
		first, last = minTime(first, e.Start), maxTime(last, e.End)
	}
	from := time.Date(first.In(loc).Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(last.In(loc).Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)

	iw.line("BEGIN", "VTIMEZONE")
	iw.text("TZID", loc.String())
	observe := func(at time.Time, offsetFrom int) {
		name, offset := at.In(loc).Zone()
		kind := "STANDARD"
		if at.In(loc).IsDST() {
			kind = "DAYLIGHT"
		}
		iw.line("BEGIN", kind)
		// DTSTART of an observance is the local time in the offset in force before it.
		iw.line("DTSTART", at.In(time.FixedZone("", offsetFrom)).Format("20060102T150405"))
		iw.line("TZOFFSETFROM", icsOffset(offsetFrom))
		iw.line("TZOFFSETTO", icsOffset(offset))
		if name != "" && name[0] != '+' && name[0] != '-' {
			iw.text("TZNAME", name)
		}
		iw.line("END", kind)
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
	iw.line("END", "VTIMEZONE")
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
