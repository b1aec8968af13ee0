package main

import (
	"flag"
	"log/slog"
	"os"
	"strings"

	"github.com/matchgrid/matchgrid"
)

// Environment variables of the e-mail settings (the password only from
// the environment: flags show in ps).
const (
	smtpAddrEnv     = "MATCHGRID_SMTP_ADDR"
	smtpUserEnv     = "MATCHGRID_SMTP_USER"
	smtpPasswordEnv = "MATCHGRID_SMTP_PASSWORD"
	mailFromEnv     = "MATCHGRID_MAIL_FROM"
	mailDevEnv      = "MATCHGRID_MAIL_DEV"
	publicURLEnv    = "MATCHGRID_PUBLIC_URL"
)

// mailSettings are the e-mail flags of serve and demo.
type mailSettings struct {
	smtp, user, from, publicURL *string
	dev, requireTLS             *bool
	devDefault                  bool
}

// mailFlags declares the e-mail flags, each defaulting to its environment
// variable; devDefault turns the development mode on by default (demo).
func mailFlags(fs *flag.FlagSet, devDefault bool) *mailSettings {
	return &mailSettings{
		devDefault: devDefault,
		smtp:       fs.String("smtp", os.Getenv(smtpAddrEnv), "SMTP server `host:port` for e-mail (default $"+smtpAddrEnv+"; password in $"+smtpPasswordEnv+")"),
		user:       fs.String("smtp-user", os.Getenv(smtpUserEnv), "SMTP `user` name (default $"+smtpUserEnv+")"),
		from:       fs.String("mail-from", os.Getenv(mailFromEnv), "sender `address` of e-mails, e.g. \"Meet in Italy <noreply@example.org>\" (default $"+mailFromEnv+")"),
		publicURL:  fs.String("public-url", os.Getenv(publicURLEnv), "the server's `URL` as participants reach it, for links in e-mails (default $"+publicURLEnv+", else http://ADDR)"),
		dev:        fs.Bool("mail-dev", devDefault || os.Getenv(mailDevEnv) != "", "write e-mails as .eml files into DATA/mail instead of sending them (default on for demo and when $"+mailDevEnv+" is set)"),
		requireTLS: fs.Bool("smtp-require-tls", false, "refuse to send when the SMTP server offers no STARTTLS"),
	}
}

// notifyOptions are the notification settings; e-mail is off without
// --smtp and --mail-dev.
func (m *mailSettings) notifyOptions(base string, log *slog.Logger) matchgrid.NotifyOptions {
	opts := matchgrid.NotifyOptions{OnError: func(err error) { log.Error("notify", "err", err) }}
	if *m.smtp != "" && *m.dev && m.devDefault {
		*m.dev = false // a given SMTP server wins over the demo's default
	}
	if *m.smtp == "" && !*m.dev {
		return opts
	}
	public := *m.publicURL
	if public == "" {
		public = base
	}
	opts.Mail = &matchgrid.MailOptions{SMTPAddr: *m.smtp, Username: *m.user, Password: os.Getenv(smtpPasswordEnv),
		RequireTLS: *m.requireTLS, From: *m.from, Dev: *m.dev, PublicURL: strings.TrimRight(public, "/")}
	return opts
}

// describe says where e-mail goes, for the start banner.
func (m *mailSettings) describe(dataDir string) string {
	switch {
	case *m.dev:
		return "e-mail: written as .eml files to " + dataDir + "/" + matchgrid.MailDir
	case *m.smtp != "":
		return "e-mail: sent through " + *m.smtp
	}
	return "e-mail: off (set --smtp, or --mail-dev to write .eml files)"
}
