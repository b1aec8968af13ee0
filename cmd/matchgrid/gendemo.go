package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["gen-demo"] = command{summary: "rebuild the demo event file from the CORDIS CSVs", run: runGenDemo}
}

// runGenDemo rebuilds demo/event.json.gz from projects.csv and
// participations.csv of the CORDIS health data.
func runGenDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen-demo", "gen-demo [--cordis DIR] [--out FILE] [--organizations N] [--participants N] [--requests N]", stderr)
	dir := fs.String("cordis", filepath.Join("..", "shared", "data", "cordis-health"), "`DIR` holding the CORDIS projects.csv and participations.csv")
	out := fs.String("out", filepath.Join("demo", "event.json.gz"), "demo event `FILE` to write (gzip-compressed JSON export)")
	var sizes demo.BuildOptions
	fs.IntVar(&sizes.Organizations, "organizations", 0, "`N` organizations in the event (0: the demo's 300)")
	fs.IntVar(&sizes.Participants, "participants", 0, "`N` participants (0: the demo's 350)")
	fs.IntVar(&sizes.Requests, "requests", 0, "`N` meeting requests (0: the demo's 500)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{msg: err.Error()}
	}
	if sizes.Organizations < 0 || sizes.Participants < 0 || sizes.Requests < 0 {
		return usageError{msg: "--organizations, --participants and --requests must not be negative"}
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	projects, err := genDemoRead(*dir, "projects.csv", profiles.ReadCORDISProjects)
	if err != nil {
		return err
	}
	parts, err := genDemoRead(*dir, "participations.csv", profiles.ReadCORDISParticipations)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "read %d projects and %d participations from %s\n", len(projects), len(parts), *dir)
	if err := ctx.Err(); err != nil {
		return err
	}
	bundle, err := demo.Build(projects, parts, demo.BuildOptions{
		Organizations: sizes.Organizations, Participants: sizes.Participants, Requests: sizes.Requests,
		Progress: func(stage string) { fmt.Fprintln(stderr, stage) },
	})
	if err != nil {
		return err
	}
	if err := genDemoWrite(*out, func(w io.Writer) error { return demo.Encode(w, bundle) }); err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s (%d bytes): %d organizations, %d participants, %d opportunities, %d requests\n",
		*out, info.Size(), len(bundle.Organizations), len(bundle.Participants), len(bundle.Opportunities), len(bundle.Requests))
	return nil
}

// genDemoRead opens dir/name and parses it with read.
func genDemoRead[T any](dir, name string, read func(io.Reader, string) ([]T, error)) ([]T, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, path)
}

// genDemoWrite writes a file through a temporary file in the same
// directory, so an interrupted run leaves the old file in place.
func genDemoWrite(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
