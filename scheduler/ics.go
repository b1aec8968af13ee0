package scheduler

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
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
}

// WriteICS writes one participant's agenda as an iCalendar (RFC 5545)
// object with one VEVENT per entry. Times are written in UTC (the "Z"
// form), which every calendar application converts to the reader's zone
// and which needs no VTIMEZONE. UID and SEQUENCE come from the entry;
// cancelled entries carry STATUS:CANCELLED so that the application removes
// the event it already has. Text is escaped and lines are folded at 75
// octets without splitting UTF-8 characters; lines end with CRLF.
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
	bw := bufio.NewWriter(w)
	line := func(name, value string) { writeFolded(bw, name+":"+value) }
	prod := cal.ProdID
	if prod == "" {
		prod = "-//matchgrid//matchgrid//EN"
	}
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", escapeText(prod))
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if cal.Name != "" {
		line("X-WR-CALNAME", escapeText(cal.Name))
	}
	for _, e := range entries {
		status := e.Status
		if status == "" {
			status = StatusConfirmed
		}
		line("BEGIN", "VEVENT")
		line("UID", escapeText(e.UID))
		line("SEQUENCE", fmt.Sprint(e.Sequence))
		line("DTSTAMP", icsTime(cal.Stamp))
		line("DTSTART", icsTime(e.Start))
		line("DTEND", icsTime(e.End))
		summary := "Meeting"
		if e.Partner != "" {
			summary = "Meeting with " + e.Partner
			if e.Organization != "" {
				summary += " (" + e.Organization + ")"
			}
		}
		line("SUMMARY", escapeText(summary))
		loc := e.Table
		if cal.Location != "" && loc != "" {
			loc = cal.Location + ", " + loc
		} else if loc == "" {
			loc = cal.Location
		}
		if loc != "" {
			line("LOCATION", escapeText(loc))
		}
		if e.Description != "" {
			line("DESCRIPTION", escapeText(e.Description))
		}
		line("STATUS", string(status))
		line("TRANSP", "OPAQUE")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return bw.Flush()
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes a TEXT value (RFC 5545 section 3.3.11).
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			if r < 0x20 && r != '\t' || r == 0x7f {
				continue // control characters are not allowed in TEXT
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes one content line folded at 75 octets (RFC 5545
// section 3.1): continuation lines start with a space, which counts towards
// their 75 octets, and a UTF-8 sequence is never split.
func writeFolded(w *bufio.Writer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}
