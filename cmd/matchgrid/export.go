package main

import (
	"bytes"
	"context"
	"io"
	"os"

	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["export"] = command{summary: "write events as a JSON bundle (deterministic)", run: runExport}
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export [--data DIR] [--event ID] [--out FILE]", stderr)
	data := dataFlag(fs)
	eventID := fs.String("event", "", "event `ID` to export (default: every event)")
	out := fs.String("out", "", "output `file` (default: standard output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{msg: "export takes no arguments, got " + fs.Arg(0)}
	}
	eng, err := data.open(stderr, true)
	if err != nil {
		return err
	}
	defer eng.Close()
	var buf bytes.Buffer
	err = eng.Store().View(func(tx *profiles.Tx) error {
		var ids []string
		if *eventID != "" {
			ids = []string{*eventID}
		}
		exp, err := tx.ExportEvents(ids...)
		if err != nil {
			return err
		}
		return profiles.EncodeExport(&buf, exp)
	})
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
