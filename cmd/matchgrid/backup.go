package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["backup"] = command{summary: "write a hot copy of the store (safe while the server runs)", run: runBackup}
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", "backup [--data DIR | --store URL] --out FILE", stderr)
	data := dataFlag(fs)
	out := fs.String("out", "", "backup `file` to write (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{msg: "--out FILE is required"}
	}
	if data.store != "" {
		return backupBundle(data, *out, stdout, stderr)
	}
	how, err := matchgrid.Backup(ctx, data.dir, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "matchgrid: backup of %s written to %s (via the %s)\n", data.dir, *out, how)
	return nil
}

// backupBundle backs up a PostgreSQL store as the JSON bundle of every
// event (what import reads back, into either engine). The database itself
// is PostgreSQL's to back up: pg_dump.
func backupBundle(data *dataFlags, out string, stdout, stderr io.Writer) error {
	eng, err := data.open(stderr, true)
	if err != nil {
		return err
	}
	defer eng.Close()
	f, err := os.OpenFile(out+".partial", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	err = eng.Store().View(func(tx *profiles.Tx) error {
		exp, err := tx.ExportEvents()
		if err != nil {
			return err
		}
		return profiles.EncodeExport(f, exp)
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(out+".partial", out)
	}
	if err != nil {
		os.Remove(out + ".partial")
		return fmt.Errorf("backup of %s: %w", eng.Store(), err)
	}
	fmt.Fprintf(stdout, "matchgrid: the store is PostgreSQL (%s): wrote the JSON bundle of every event to %s "+
		"(matchgrid import reads it back, into either engine; deployment settings such as the organizer secret are not in it). "+
		"For a full backup of the database use pg_dump, e.g. pg_dump -Fc -f matchgrid.dump DBNAME\n", eng.Store().Path(), out)
	return nil
}
