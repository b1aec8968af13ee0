package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"time"

	"github.com/matchgrid/matchgrid/notify"
)

// Transport hands a finished message to the world.
type Transport interface {
	Deliver(ctx context.Context, from, to, id string, msg []byte) error
}

// SMTP delivers through an SMTP server (submission port, STARTTLS when
// offered, PLAIN authentication when Username is set).
type SMTP struct {
	Addr     string // host:port
	Username string
	Password string
	// RequireTLS refuses to send (or authenticate) without STARTTLS.
	RequireTLS bool
	// TLSConfig is used for STARTTLS; nil means the host name of Addr.
	TLSConfig *tls.Config
	// Timeout bounds one delivery; 0 means 30 seconds.
	Timeout time.Duration
}

// Deliver sends one message. A 5xx reply is a *notify.PermanentError.
func (s *SMTP) Deliver(ctx context.Context, from, to, _ string, msg []byte) error {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return smtpError(err)
	}
	defer c.Close()
	if err := s.session(c, host, from, to, msg); err != nil {
		return smtpError(err)
	}
	return c.Quit()
}

func (s *SMTP) session(c *smtp.Client, host, from, to string, msg []byte) error {
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLSConfig
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return err
		}
	} else if s.RequireTLS {
		return &notify.PermanentError{Err: errors.New("the SMTP server does not offer STARTTLS and TLS is required")}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	return w.Close()
}

// smtpError marks permanent (5xx) replies.
func smtpError(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return &notify.PermanentError{Err: fmt.Errorf("smtp: %w", err)}
	}
	return fmt.Errorf("smtp: %w", err)
}

// Dir is the development transport: each message becomes an .eml file in
// a directory (which it creates), named by its outbox ID.
type Dir struct{ Path string }

// Deliver writes the message file.
func (d *Dir) Deliver(_ context.Context, _, _, id string, msg []byte) error {
	if err := os.MkdirAll(d.Path, 0o750); err != nil {
		return err
	}
	tmp := filepath.Join(d.Path, id+".eml.partial")
	if err := os.WriteFile(tmp, msg, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(d.Path, id+".eml"))
}
