package mail

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// Message is the RFC 5322 text of an outbox mail, with body as given.
func Message(from string, item *profiles.OutboxItem, body string, date time.Time) ([]byte, error) {
	to, err := netmail.ParseAddress(item.Target)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", item.Target, err)
	}
	sender, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("sender %q: %w", from, err)
	}
	_, domain, _ := strings.Cut(sender.Address, "@")
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", sender.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", item.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+item.ID+"@"+domain+">")
	header("Auto-Submitted", "auto-generated")
	header("Content-Language", item.Lang)
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
