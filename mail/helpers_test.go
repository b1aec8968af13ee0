package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
)

func qpReader(msg *mail.Message) io.Reader {
	if msg.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
		return quotedprintable.NewReader(msg.Body)
	}
	return msg.Body
}

// subject decodes an RFC 2047 subject.
func subject(msg *mail.Message) string {
	s, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return msg.Header.Get("Subject")
	}
	return s
}

func parseMessage(raw []byte) (*mail.Message, error) { return mail.ReadMessage(bytesReader(raw)) }

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
