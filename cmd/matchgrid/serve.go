package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"unicode/utf8"

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

// prepareFunc readies a data directory before serving it (the demo's): it
// returns the personal links to print and, when the organizer gave no
// secret, the organizer's secret to use and show ("" for serve's rule).
type prepareFunc func(eng *matchgrid.Engine, reset bool) (links []demoLink, organizerSecret string, err error)

// runServer parses the flags of serve and demo, opens the data directory,
// runs prepare (if any) on it and serves until ctx ends, printing the
// personal links prepare returns.
func runServer(ctx context.Context, name string, args []string, stdout, stderr io.Writer, prepare prepareFunc) error {
	fs := newFlagSet(name, name+" [--data DIR] [--addr 127.0.0.1:8080] [--organizer-secret S]", stderr)
	data := dataFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on")
	secret := fs.String("organizer-secret", "", "the organizer's `secret`, at least 16 characters (default $"+organizerSecretEnv+"); stored as an Argon2id hash, it replaces the previous one; with none given or stored, one is made and printed once")
	var cfg web.Config
	fs.Var((*listFlag)(&cfg.FrameAncestors), "frame-ancestors", "`origins` (comma-separated) allowed to embed the suggestions widget in a frame")
	fs.Var((*listFlag)(&cfg.CORSOrigins), "cors-origins", "`origins` (comma-separated) whose scripts may call the API")
	fs.Var((*listFlag)(&cfg.TrustedOrigins), "trusted-origins", "other `origins` (comma-separated) allowed to submit forms and API changes from a browser")
	fs.Var((*listFlag)(&cfg.TrustedProxies), "trusted-proxies", "`addresses` (comma-separated) of reverse proxies whose X-Forwarded-For is believed")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", false, "mark session cookies Secure (set it behind a TLS-terminating proxy)")
	fs.BoolVar(&data.allowPrivateWebhooks, "allow-private-webhooks", false, "let webhooks call loopback, private, link-local and metadata addresses (refused by default: a registered URL could otherwise reach this machine or its network)")
	mail := mailFlags(fs, name == "demo")
	memLimit := fs.Int64("memory-limit", defaultMemoryLimitMB, "soft memory limit in `MB` of the Go runtime: near it the garbage collector runs more often, so that resident memory stays near the live data; under it the collector percent is 400 (0: none; $GOMEMLIMIT and $GOGC, when set, win)")
	reset := new(bool)
	if prepare != nil {
		reset = fs.Bool("reset", false, "issue new personal links and a new organizer secret (by default a restart keeps the previous ones, and with them everyone's sessions)")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *memLimit < 0 {
		return usageError{msg: fmt.Sprintf("--memory-limit %d: a size in MB, or 0 for none", *memLimit)}
	}
	setMemoryLimit(*memLimit)
	if *secret == "" {
		*secret = os.Getenv(organizerSecretEnv)
	}
	if n := utf8.RuneCountInString(*secret); *secret != "" && n < profiles.MinOrganizerSecretLength {
		return usageError{msg: fmt.Sprintf("the organizer secret has %d characters; it needs at least %d", n, profiles.MinOrganizerSecretLength)}
	}
	eng, err := openEngine(data, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	var links []demoLink
	showSecret := false
	if prepare != nil {
		// The demo shows its sign-in details at every start: its own
		// organizer secret, kept across restarts, unless one is given.
		var kept string
		if links, kept, err = prepare(eng, *reset); err != nil {
			return err
		}
		if *secret == "" && kept != "" {
			*secret, showSecret = kept, true
		}
	}
	return serve(ctx, eng, *addr, *secret, showSecret, cfg, mail, links, stdout, stderr)
}

// organizerSecretEnv is the environment variable that may carry the
// organizer's secret instead of the flag (which other users see in ps).
const organizerSecretEnv = "MATCHGRID_ORGANIZER_SECRET"

// setOrganizerSecret stores the Argon2id hash of the given secret, unless
// the stored one is already its (a restart keeps the organizer's
// sessions). With none given and none stored, it makes one and returns it
// so that it can be shown once; the secret itself is never logged or
// stored.
func setOrganizerSecret(store *profiles.Store, secret string) (shown string, err error) {
	var stored string
	if err := store.View(func(tx *profiles.Tx) error { stored = tx.OrganizerSecretHash(); return nil }); err != nil {
		return "", err
	}
	switch {
	case secret == "" && stored != "":
		return "", nil
	case secret == "":
		secret = profiles.NewSecret()
		shown = secret
	case profiles.CheckOrganizerSecret(stored, secret) && strings.HasPrefix(stored, "$argon2id$"):
		return "", nil
	}
	hash, err := profiles.HashOrganizerSecret(secret) // slow on purpose: outside the write transaction
	if err != nil {
		return "", err
	}
	return shown, store.Update(func(tx *profiles.Tx) error { return tx.SetOrganizerSecretHash(hash) })
}

// serve runs the HTTP server and the control socket until ctx ends.
func serve(ctx context.Context, eng *matchgrid.Engine, addr, organizerSecret string, showSecret bool, cfg web.Config, mail *mailSettings, links []demoLink, stdout, stderr io.Writer) error {
	shown, err := setOrganizerSecret(eng.Store(), organizerSecret)
	if err != nil {
		return fmt.Errorf("organizer secret: %w", err)
	}
	if showSecret {
		shown = organizerSecret
	}
	cfg.Logger = slog.New(slog.NewJSONHandler(stderr, nil))
	srv, err := web.New(eng, cfg)
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
	base := "http://" + ln.Addr().String()
	if err := eng.StartNotifications(ctx, mail.notifyOptions(base, cfg.Logger)); err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(stdout, "matchgrid: serving %d event(s) from %s at %s/\n", len(events), eng.Dir(), base)
	fmt.Fprintln(stdout, mail.describe(eng.Dir()))
	for _, ev := range events {
		fmt.Fprintf(stdout, "  %s  %s  %s/e/%s\n", ev.ID, ev.Name, base, ev.ID)
	}
	fmt.Fprintf(stdout, "organizer: sign in at %s/login\n", base)
	switch {
	case showSecret:
		fmt.Fprintf(stdout, "organizer secret (the demo keeps it and the links below across restarts; --reset makes new ones): %s\n", shown)
	case shown != "":
		fmt.Fprintf(stdout, "organizer secret (shown only now; set your own with --organizer-secret or $%s): %s\n", organizerSecretEnv, shown)
	}
	for _, l := range links {
		fmt.Fprintf(stdout, "participant %s (%s), personal link: %s%s\n", l.participant, l.name, base, l.path)
	}
	err = srv.Serve(ctx, ln)
	cancel()
	return errors.Join(err, <-controlErr)
}
