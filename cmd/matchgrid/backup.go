package main

import (
	"context"
	"fmt"
	"io"

	"github.com/matchgrid/matchgrid"
)

func init() {
	commands["backup"] = command{summary: "write a hot copy of the store (safe while the server runs)", run: runBackup}
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", "backup [--data DIR] --out FILE", stderr)
	data := dataFlag(fs)
	out := fs.String("out", "", "backup `file` to write (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{msg: "--out FILE is required"}
	}
	how, err := matchgrid.Backup(ctx, *data, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "matchgrid: backup of %s written to %s (via the %s)\n", *data, *out, how)
	return nil
}
