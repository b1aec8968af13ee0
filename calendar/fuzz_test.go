package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// FuzzWriteICSRoundTrip writes an agenda entry with arbitrary texts (of the
// kinds validation lets into the store: valid UTF-8 without control
// characters, line breaks and tabs in the description) and reads it back
// with a parser of its own, written from RFC 5545 (content lines of at most
// 75 octets ended by CRLF, unfolding, TEXT unescaping), independent of the
// library that writes: every text comes back as it went in.
func FuzzWriteICSRoundTrip(f *testing.F) {
	f.Add("Bob, Biotech; Inc.", "ACME\\Labs", "Table 12", "line one\nline two\r\nthree\tfour")
	f.Add(strings.Repeat("é", 80), strings.Repeat("✓😀", 40), "T", strings.Repeat("a,b;c\\d\n", 30))
	f.Add("", "", "", "")
	start := time.Date(2027, 3, 16, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, partner, org, table, desc string) {
		for _, s := range []string{partner, org, table} {
			if !plainLine(s) {
				return
			}
		}
		if !plainLine(strings.NewReplacer("\r\n", "", "\n", "", "\t", "").Replace(desc)) {
			return
		}
		e := AgendaEntry{UID: "m1.ev@matchgrid", Start: start, End: start.Add(20 * time.Minute),
			Partner: partner, Organization: org, Table: table, Description: desc}
		var buf bytes.Buffer
		if err := WriteICS(&buf, Calendar{Stamp: start, Location: "Hall B"}, []AgendaEntry{e}); err != nil {
			t.Fatal(err)
		}
		props := readICS(t, buf.Bytes())
		wantDesc := strings.ReplaceAll(desc, "\r\n", "\n") // a line break is a line break
		if desc != "" && props["DESCRIPTION"] != wantDesc {
			t.Errorf("DESCRIPTION %q came back as %q", wantDesc, props["DESCRIPTION"])
		}
		if partner != "" {
			want := "Meeting with " + partner
			if org != "" {
				want += " (" + org + ")"
			}
			if props["SUMMARY"] != want {
				t.Errorf("SUMMARY %q came back as %q", want, props["SUMMARY"])
			}
		}
		want := "Hall B"
		if table != "" {
			want += ", " + table
		}
		if props["LOCATION"] != want {
			t.Errorf("LOCATION %q came back as %q", want, props["LOCATION"])
		}
	})
}

// plainLine reports whether s is valid UTF-8 without control characters.
func plainLine(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	})
}

// readICS checks the content lines of an iCalendar stream and returns the
// unescaped values of the first VEVENT's properties by name.
func readICS(t *testing.T, out []byte) map[string]string {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Fatal("the stream does not end with CRLF")
	}
	var lines []string
	for _, raw := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		if len(raw) > 75 {
			t.Fatalf("content line of %d octets: %q", len(raw), raw)
		}
		if strings.ContainsAny(raw, "\r\n") || !utf8.ValidString(raw) {
			t.Fatalf("bare CR or LF, or a split character, in %q", raw)
		}
		if strings.HasPrefix(raw, " ") || strings.HasPrefix(raw, "\t") { // folded
			if len(lines) == 0 {
				t.Fatal("the stream starts with a continuation line")
			}
			lines[len(lines)-1] += raw[1:]
			continue
		}
		lines = append(lines, raw)
	}
	props := map[string]string{}
	inEvent := false
	for _, l := range lines {
		switch l {
		case "BEGIN:VEVENT":
			inEvent = true
			continue
		case "END:VEVENT":
			inEvent = false
		}
		name, value, ok := strings.Cut(l, ":")
		if !inEvent || !ok {
			continue
		}
		name, _, _ = strings.Cut(name, ";") // parameters
		if _, seen := props[name]; !seen {
			props[name] = unescapeText(t, value)
		}
	}
	return props
}

// unescapeText undoes RFC 5545 TEXT escaping: \\ \; \, \n \N.
func unescapeText(t *testing.T, v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v):
			i++
			switch v[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			case '\\', ';', ',':
				b.WriteByte(v[i])
			default:
				t.Fatalf("invalid escape \\%c in %q", v[i], v)
			}
		case c == '\\':
			t.Fatalf("dangling backslash in %q", v)
		case c == ';' || c == ',':
			t.Fatalf("unescaped %q in TEXT %q", c, v)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
