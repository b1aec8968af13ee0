package main

import (
	"bytes"
	"context"
	"io"
	"os"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
)

func init() {
	commands["export"] = command{summary: "write events as a JSON bundle (deterministic), or one spreadsheet of an event (CSV/XLSX)", run: runExport}
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export [--data DIR] [--event ID] [--sheet participants|opportunities|grid|agendas|funnel|mail-log [--format csv|csv-excel|xlsx]] [--out FILE]", stderr)
	data := dataFlag(fs)
	eventID := fs.String("event", "", "event `ID` to export (default: every event)")
	sheetName := fs.String("sheet", "", "write this `spreadsheet` of --event instead of the JSON bundle")
	format := fs.String("format", "csv", "spreadsheet `format`: csv, csv-excel (BOM and ';' for Excel in Italy) or xlsx")
	out := fs.String("out", "", "output `file` (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{msg: "export takes no arguments, got " + fs.Arg(0)}
	}
	var (
		x matchgrid.Export
		f sheet.Format
	)
	if *sheetName != "" {
		var err error
		if x, err = matchgrid.ParseExport(*sheetName); err != nil {
			return usageError{msg: "--sheet: " + err.Error()}
		}
		if f, err = sheet.ParseFormat(*format); err != nil {
			return usageError{msg: "--format: " + err.Error()}
		}
		if *eventID == "" {
			return usageError{msg: "--sheet needs --event ID"}
		}
	}
	eng, err := data.open(stderr, true)
	if err != nil {
		return err
	}
	defer eng.Close()
	var buf bytes.Buffer
	if *sheetName != "" {
		err = eng.WriteExport(&buf, *eventID, x, f)
	} else {
		err = writeBundle(eng, &buf, *eventID)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	tmp := *out + ".partial"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, *out)
}

// writeBundle writes the JSON bundle of one event, or of every event when
// eventID is empty.
func writeBundle(eng *matchgrid.Engine, buf *bytes.Buffer, eventID string) error {
	return eng.Store().View(func(tx *profiles.Tx) error {
		var ids []string
		if eventID != "" {
			ids = []string{eventID}
		}
		exp, err := tx.ExportEvents(ids...)
		if err != nil {
			return err
		}
		return profiles.EncodeExport(buf, exp)
	})
}
