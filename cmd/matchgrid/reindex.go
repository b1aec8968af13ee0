package main

import (
	"context"
	"fmt"
	"io"
)

func init() {
	commands["reindex"] = command{summary: "rebuild the search index from the store", run: runReindex}
}

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("reindex", "reindex [--data DIR]", stderr)
	data := dataFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	eng, err := openEngine(data, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	ix, err := eng.Index()
	if err != nil {
		return err
	}
	if !ix.Rebuilt() {
		if err := ix.Rebuild(); err != nil {
			return err
		}
	}
	n, err := ix.DocCount()
	if err != nil {
		return err
	}
	g, err := ix.Generation()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "matchgrid: index rebuilt: %d documents, store generation %d\n", n, g)
	return nil
}
