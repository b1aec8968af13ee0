package site

import (
	"embed"
	"fmt"
	"github.com/matchgrid/matchgrid/matcher"
	"io/fs"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// The interface speaks the languages of the message catalogs in locales/
// (go-i18n TOML files, one per language). English is the fallback of every
// missing message.
//
//go:embed locales/*.toml locales/reasons/*.toml
var localeFS embed.FS

// langs are the interface's languages, the default first.
var langs = []language.Tag{language.English, language.Italian}

// langCookie remembers a visitor's choice of language.
const langCookie = "mg_lang"

// translator holds the message catalogs.
type translator struct {
	bundle  *i18n.Bundle
	matcher language.Matcher
	reasons reasonCatalogs
}

// newTranslator loads the catalogs.
func newTranslator() (*translator, error) {
	b := i18n.NewBundle(langs[0])
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(localeFS, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(localeFS, f); err != nil {
			return nil, fmt.Errorf("site: catalog %s: %w", f, err)
		}
	}
	reasons, err := loadReasons()
	if err != nil {
		return nil, err
	}
	return &translator{bundle: b, matcher: language.NewMatcher(langs), reasons: reasons}, nil
}

// langOf is the language of a request: the remembered choice, else the
// browser's preference among ours, else English.
func (tr *translator) langOf(c *gin.Context) string {
	if v, err := c.Cookie(langCookie); err == nil && known(v) {
		return v
	}
	tags, _, _ := language.ParseAcceptLanguage(c.GetHeader("Accept-Language"))
	_, i, _ := tr.matcher.Match(tags...)
	return langs[i].String()
}

// known reports whether lang is one of the interface's languages.
func known(lang string) bool {
	for _, l := range langs {
		if l.String() == lang {
			return true
		}
	}
	return false
}

// text returns the message id in lang, with data for its template (a
// "Count" in data picks the plural form of a message that has them). A missing message shows its ID,
// which the catalog test forbids.
func (tr *translator) text(lang, id string, data map[string]any) string {
	lc := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		lc.PluralCount = n
	}
	loc := i18n.NewLocalizer(tr.bundle, lang, langs[0].String())
	msg, err := loc.Localize(lc)
	if err != nil && lc.PluralCount != nil {
		lc.PluralCount = nil // a message without plural forms counts nothing
		msg, err = loc.Localize(lc)
	}
	if err != nil {
		return id
	}
	return msg
}

// funcs are the template functions that depend on the language: t (a
// message, with key-value pairs for its template) and the date formats.
func (tr *translator) funcs(lang string) map[string]any {
	return map[string]any{
		"t": func(id string, kv ...any) (string, error) {
			data, err := dict(kv...)
			if err != nil {
				return "", err
			}
			return tr.text(lang, id, data), nil
		},
		"day":   func(t time.Time) string { return dayIn(lang, t) },
		"when":  func(t time.Time) string { return dayIn(lang, t) + ", " + t.Format("15:04") },
		"lang":  func() string { return lang },
		"label": func(v any) string { return tr.label(lang, fmt.Sprint(v)) },
		"why":   func(r matcher.Reason) string { return tr.why(lang, r) },
	}
}

// label names a stored code ("large_company", "pending") in lang: the
// catalog's "label.<code>", else its "status_of.<code>", else the code in
// words (a value the catalogs do not know, such as a new kind).
func (tr *translator) label(lang, code string) string {
	for _, id := range []string{"label." + code, "status_of." + code} {
		if msg := tr.text(lang, id, nil); msg != id {
			return msg
		}
	}
	return humanize(code)
}

// labeller is label bound to the language of a request.
func (s *Site) labeller(c *gin.Context) func(string) string {
	lang := s.lang(c)
	return func(code string) string { return s.i18n.label(lang, code) }
}

// Italian names of the week's days and the months, for dates.
var (
	itDays   = []string{"dom", "lun", "mar", "mer", "gio", "ven", "sab"}
	itMonths = []string{"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"}
)

// dayIn formats a date for lang: "Mon 2 Jan 2006", "lun 2 gen 2006".
func dayIn(lang string, t time.Time) string {
	if lang == "it" {
		return fmt.Sprintf("%s %d %s %d", itDays[t.Weekday()], t.Day(), itMonths[t.Month()-1], t.Year())
	}
	return t.Format("Mon 2 Jan 2006")
}

// setLanguage is GET /lang/:lang?back=PATH: remember the visitor's choice
// for a year and go back to the page they were on.
func (s *Site) setLanguage(c *gin.Context) {
	lang := c.Param("lang")
	back := auth.LocalPath(c.Query("back"), "/")
	if !known(lang) {
		s.errorPage(c, http.StatusNotFound, s.tr(c, "error.no_language", nil))
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: s.sessions.Secure(c.Request), SameSite: http.SameSiteLaxMode})
	if v := auth.ViewerOf(c); v.Role == auth.Participant {
		s.rememberLanguage(v.Event, v.Participant, lang)
	}
	c.Redirect(http.StatusSeeOther, back)
}

// rememberLanguage stores a participant's choice of language, which their
// e-mails follow. A failure costs a mail the other language: it is
// logged, not shown.
func (s *Site) rememberLanguage(eventID, id, lang string) {
	err := s.store.Update(func(tx *profiles.Tx) error {
		p, err := tx.Participant(eventID, id)
		if err != nil || p.Lang == lang {
			return err
		}
		p.Lang = lang
		return tx.UpdateParticipant(p)
	})
	if err != nil {
		s.log.Warn("remembering a participant's language", "event", eventID, "participant", id, "err", err)
	}
}

// langKey caches a request's language in its context.
const langKey = "matchgrid.lang"

// lang is the language of a request's page: the visitor's choice on this
// browser (the cookie), else a signed-in participant's choice on another
// one (Participant.Lang), else the browser's preference.
func (s *Site) lang(c *gin.Context) string {
	if l := c.GetString(langKey); l != "" {
		return l
	}
	lang := ""
	if v, err := c.Cookie(langCookie); err == nil && known(v) {
		lang = v
	} else if v := auth.ViewerOf(c); v.Role == auth.Participant {
		_ = s.store.View(func(tx *profiles.Tx) error { // no participant: the browser's language
			if p, err := tx.Participant(v.Event, v.Participant); err == nil && known(p.Lang) {
				lang = p.Lang
			}
			return nil
		})
	}
	if lang == "" {
		lang = s.i18n.langOf(c)
	}
	c.Set(langKey, lang)
	return lang
}

// tr is the message id in the request's language.
func (s *Site) tr(c *gin.Context, id string, data map[string]any) string {
	return s.i18n.text(s.lang(c), id, data)
}

// langLink is an entry of the language switch.
type langLink struct {
	Lang, Name, Href string
	Current          bool
}

// langLinks are the language switch of a page at path.
func langLinks(current, path string) []langLink {
	names := map[string]string{"en": "English", "it": "Italiano"}
	var out []langLink
	for _, l := range langs {
		tag := l.String()
		out = append(out, langLink{tag, names[tag], "/lang/" + tag + "?back=" + url.QueryEscape(path), tag == current})
	}
	return out
}
