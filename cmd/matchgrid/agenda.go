package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"time"

	"github.com/matchgrid/matchgrid/calendar"
)

func init() {
	commands["agenda"] = command{summary: "write a participant's agenda (iCalendar or CSV) or the organizer's grid (CSV)", run: runAgenda}
}

func runAgenda(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("agenda", "agenda [--data DIR] --event ID (--participant ID [--ics|--csv] | --grid) [--out FILE]", stderr)
	data := dataFlag(fs)
	eventID := fs.String("event", "", "event `ID` (required)")
	participant := fs.String("participant", "", "participant `ID` whose agenda to write")
	ics := fs.Bool("ics", false, "iCalendar (RFC 5545) for calendar applications (the default for --participant)")
	asCSV := fs.Bool("csv", false, "CSV, one row per meeting")
	grid := fs.Bool("grid", false, "the organizer's grid as CSV: rows are slots, columns are tables")
	out := fs.String("out", "", "output `file` (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *eventID == "":
		return usageError{msg: "--event ID is required"}
	case *grid == (*participant != ""):
		return usageError{msg: "give either --participant ID or --grid"}
	case *ics && *asCSV:
		return usageError{msg: "--ics and --csv exclude each other"}
	}
	eng, err := data.open(stderr, true)
	if err != nil {
		return err
	}
	defer eng.Close()
	var buf bytes.Buffer
	if *grid {
		err = eng.WriteGridCSV(&buf, *eventID)
	} else {
		ev, entries, aerr := eng.Agenda(*eventID, *participant)
		switch {
		case aerr != nil:
			err = aerr
		case *asCSV:
			err = calendar.WriteAgendaCSV(&buf, entries)
		default:
			cal := calendar.Calendar{Name: ev.Name, Location: ev.Venue, Stamp: time.Now().UTC().Truncate(time.Second)}
			if cal.TimeZone, err = ev.Location(); err == nil {
				err = calendar.WriteICS(&buf, cal, entries)
			}
		}
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(*out, buf.Bytes(), 0o644)
}
