// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp)
// on loopback for tests: it keeps every message it accepts, decoded, and
// can refuse deliveries to exercise retries.
package smtptest

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From, To string
	Header   mail.Header
	Subject  string // decoded (RFC 2047)
	Body     string // decoded (quoted-printable), with \n line ends
}

// Server is a running SMTP server.
type Server struct {
	// Addr is host:port of the server.
	Addr string
	mu   sync.Mutex
	got  []Message
	// reject, when set, answers DATA of the n-th delivery (from 1) with the
	// error it returns; nil accepts.
	reject func(n int) error
	tries  int
}

// Start runs a server on 127.0.0.1 until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = logger{t}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

// Reject makes the server answer deliveries with fn's error (nil accepts).
func (s *Server) Reject(fn func(n int) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = fn
}

// Messages returns what the server accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.got...)
}

type logger struct{ t testing.TB }

func (l logger) Printf(format string, v ...any) { l.t.Logf("smtp server: "+format, v...) }
func (l logger) Println(v ...any)               { l.t.Log(append([]any{"smtp server:"}, v...)...) }

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s        *Server
	from, to string
}

func (x *session) Reset()        {}
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error { x.from = from; return nil }

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error { x.to = to; return nil }

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.tries++
	if x.s.reject != nil {
		if err := x.s.reject(x.s.tries); err != nil {
			return err
		}
	}
	m, err := Parse(raw)
	if err != nil {
		return err
	}
	m.From, m.To = x.from, x.to
	x.s.got = append(x.s.got, m)
	return nil
}

// Parse reads a message as a mail client would: headers, decoded subject
// and body.
func Parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	var body io.Reader = msg.Body
	if msg.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
		body = quotedprintable.NewReader(msg.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	return Message{Header: msg.Header, Subject: subject, Body: strings.ReplaceAll(string(b), "\r\n", "\n")}, nil
}

// SMTPError is the error a Reject function returns for an SMTP reply code.
func SMTPError(code int, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
}
