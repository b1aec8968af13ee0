package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
)

func init() {
	commands["serve"] = command{summary: "serve the web application and the JSON API", run: runServe}
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runServer(ctx, "serve", args, stdout, stderr, nil)
}

// runServer parses the flags of serve and demo, opens the data directory,
// runs prepare (if any) on it and serves until ctx ends.
func runServer(ctx context.Context, name string, args []string, stdout, stderr io.Writer, prepare func(*matchgrid.Engine) error) error {
	fs := newFlagSet(name, name+" [--data DIR] [--addr 127.0.0.1:8080]", stderr)
	data := dataFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	eng, err := openEngine(*data, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	if prepare != nil {
		if err := prepare(eng); err != nil {
			return err
		}
	}
	return serve(ctx, eng, *addr, stdout, stderr)
}

// serve runs the HTTP server and the control socket until ctx ends.
func serve(ctx context.Context, eng *matchgrid.Engine, addr string, stdout, stderr io.Writer) error {
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	srv, err := web.New(eng.Store(), web.Config{Logger: logger})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var events []profiles.Event
	if err := eng.Store().View(func(tx *profiles.Tx) (err error) { events, err = tx.Events(); return err }); err != nil {
		ln.Close()
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	controlErr := make(chan error, 1)
	go func() { controlErr <- eng.ServeControl(ctx) }()
	fmt.Fprintf(stdout, "matchgrid: serving %d event(s) from %s at http://%s/\n", len(events), eng.Dir(), ln.Addr())
	for _, ev := range events {
		fmt.Fprintf(stdout, "  %s  %s  http://%s/api/v1/events/%s\n", ev.ID, ev.Name, ln.Addr(), ev.ID)
	}
	err = srv.Serve(ctx, ln)
	cancel()
	return errors.Join(err, <-controlErr)
}
