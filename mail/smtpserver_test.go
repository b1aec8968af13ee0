package mail

import (
	"bytes"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// received is one message the test SMTP server accepted.
type received struct {
	From, To string
	Msg      *mail.Message
	Body     string
}

// inbox is a real SMTP server (github.com/emersion/go-smtp) on loopback
// that keeps what it receives; reject lets a test refuse deliveries.
type inbox struct {
	Addr string
	mu   sync.Mutex
	got  []received
	// reject, when set, answers DATA with the error it returns (nil accepts).
	reject func(n int) error
	tries  int
}

func startInbox(t *testing.T) *inbox {
	t.Helper()
	in := &inbox{}
	srv := smtp.NewServer(in)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = testLogger{t}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in.Addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return in
}

type testLogger struct{ t *testing.T }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf("smtp server: "+format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(append([]any{"smtp server:"}, v...)...) }

func (in *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{in: in}, nil }

func (in *inbox) messages() []received {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]received(nil), in.got...)
}

type session struct {
	in       *inbox
	from, to string
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.in.mu.Lock()
	defer s.in.mu.Unlock()
	s.in.tries++
	if s.in.reject != nil {
		if err := s.in.reject(s.in.tries); err != nil {
			return err
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, err := decodeBody(msg)
	if err != nil {
		return err
	}
	s.in.got = append(s.in.got, received{From: s.from, To: s.to, Msg: msg, Body: body})
	return nil
}

// decodeBody reads a quoted-printable body as a mail client would.
func decodeBody(msg *mail.Message) (string, error) {
	var b strings.Builder
	_, err := io.Copy(&b, qpReader(msg))
	return strings.ReplaceAll(b.String(), "\r\n", "\n"), err
}
