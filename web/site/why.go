package site

import (
	"strings"

	"github.com/matchgrid/matchgrid/matcher"
)

// why says a matcher's reason in lang, from the catalog's "why.<code>":
// the matched words joined as the language lists them, an organization
// kind by its label, a project by its own name.
func (tr *translator) why(lang string, r matcher.Reason) string {
	detail := r.Detail
	if r.Code == matcher.ReasonUsualKind || r.Code == matcher.ReasonCloseKind {
		detail = strings.ToLower(tr.label(lang, r.Detail))
	}
	return tr.text(lang, "why."+r.Code, map[string]any{"Words": tr.listWords(lang, r.Words), "Detail": detail})
}

// listWords writes words as "a, b and c" in lang.
func (tr *translator) listWords(lang string, ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " " + tr.text(lang, "why.and", nil) + " " + ws[len(ws)-1]
}
