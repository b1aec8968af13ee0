package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/matchgrid/matchgrid/profiles"
)

// Kind is the kind of an e-mail.
type Kind string

// Mail kinds.
const (
	KindLinks           Kind = "links"
	KindRequestReceived Kind = "request_received"
	KindRequestAccepted Kind = "request_accepted"
	KindAgendaPublished Kind = "agenda_published"
	KindAgendaChanged   Kind = "agenda_changed"
)

// Kinds lists every mail kind.
var Kinds = []Kind{KindLinks, KindRequestReceived, KindRequestAccepted, KindAgendaPublished, KindAgendaChanged}

// Languages are the languages the texts exist in; the first is the default.
var Languages = []string{"en", "it"}

// ErrNoText means the catalog has no text for a kind.
var ErrNoText = errors.New("no mail text")

//go:embed texts/*.txt
var textFiles embed.FS

// catalog holds the parsed texts by "kind.lang".
var catalog = mustParseTexts()

func mustParseTexts() map[string]*template.Template {
	out := map[string]*template.Template{}
	entries, err := textFiles.ReadDir("texts")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".txt")
		out[name] = template.Must(template.New(name).Option("missingkey=error").ParseFS(textFiles, "texts/"+e.Name())).Lookup(e.Name())
	}
	return out
}

// RecipientLanguage is the language to write to a participant in: the
// one they read matchgrid in (Participant.Lang) when there are texts in
// it, else Language of the languages they speak.
func RecipientLanguage(p *profiles.Participant) string {
	if slices.Contains(Languages, p.Lang) {
		return p.Lang
	}
	return Language(p.Languages)
}

// Language picks the language to write to someone who speaks langs.
func Language(langs []string) string {
	for _, l := range langs {
		if l = strings.ToLower(l); slices.Contains(Languages, l) {
			return l
		}
	}
	return Languages[0]
}

// Render writes a mail of a kind in a language: its subject and its body.
func Render(kind Kind, lang string, data any) (subject, body string, err error) {
	t := catalog[string(kind)+"."+lang]
	if t == nil {
		if t = catalog[string(kind)+"."+Languages[0]]; t == nil {
			return "", "", fmt.Errorf("%w for %q", ErrNoText, kind)
		}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", "", fmt.Errorf("mail text %s.%s: %w", kind, lang, err)
	}
	head, rest, _ := strings.Cut(buf.String(), "\n")
	subject, ok := strings.CutPrefix(head, "Subject: ")
	if !ok {
		return "", "", fmt.Errorf("mail text %s.%s: the first line must be \"Subject: ...\"", kind, lang)
	}
	return strings.TrimSpace(subject), strings.TrimLeft(rest, "\n"), nil
}
