package calendar

import (
	"strings"
	"time"
	"unicode/utf8"
)

// icsWriter builds iCalendar content lines (RFC 5545 section 3.1): each
// "NAME;PARAMS:value" line ends with CRLF and is folded into lines of at
// most 75 octets, a continuation starting with one space, never inside a
// UTF-8 character.
type icsWriter struct {
	b strings.Builder
}

// maxLine is the longest content line in octets, CRLF excluded.
const maxLine = 75

// line writes a content line whose value needs no escaping (numbers,
// dates, keywords, URIs).
func (iw *icsWriter) line(name, value string) {
	iw.fold(name + ":" + value)
}

// text writes a content line of type TEXT: the value is cleaned and
// escaped.
func (iw *icsWriter) text(name, value string) {
	iw.fold(name + ":" + escapeText(value))
}

// time writes a DATE-TIME: UTC when loc is nil, else local time with TZID.
func (iw *icsWriter) time(name string, loc *time.Location, t time.Time) {
	if loc == nil {
		iw.line(name, t.UTC().Format("20060102T150405Z"))
		return
	}
	iw.fold(name + ";TZID=" + paramValue(loc.String()) + ":" + t.In(loc).Format("20060102T150405"))
}

// fold writes s as one content line, folded.
func (iw *icsWriter) fold(s string) {
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		iw.b.WriteString(s[:cut])
		iw.b.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	iw.b.WriteString(s)
	iw.b.WriteString("\r\n")
}

// iwClean turns every line break (CRLF, CR, LF) into a newline and drops
// the other control characters, which RFC 5545 does not allow in values;
// tab stays.
func iwClean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || (r >= 0x20 && r != 0x7f) {
			return r
		}
		return -1
	}, s)
}

// textEscaper escapes a TEXT value (RFC 5545 section 3.3.11).
var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`)

// escapeText cleans and escapes a TEXT value: the result has no control
// character at all.
func escapeText(s string) string { return textEscaper.Replace(iwClean(s)) }

// paramValue quotes a parameter value that contains ":", ";" or ","
// (quotes themselves are not allowed and are dropped).
func paramValue(s string) string {
	s = strings.ReplaceAll(iwClean(s), `"`, "")
	s = strings.ReplaceAll(s, "\n", " ")
	if strings.ContainsAny(s, ":;,") {
		return `"` + s + `"`
	}
	return s
}

// uriValue is a URI value without whitespace or control characters.
func uriValue(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}
