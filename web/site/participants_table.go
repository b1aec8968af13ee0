package site

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// participantsPerPage is the page size of the organizer's participants table.
const participantsPerPage = 50

// tableQuery is what the organizer asked of the participants table: a
// search, filters, a sort and a page, all from the address (a GET form).
type tableQuery struct {
	Q, Kind, Country, State, Sort string
	Page                          int
}

// participantStates are the "state" filter's values.
var participantStates = []string{"no-link", "link", "not-opened", "opened", "no-request", "no-meeting", "meeting"}

// participantSorts are the sortable columns; "-" before one sorts down.
var participantSorts = []string{"name", "org", "country", "kind", "sent", "received", "meetings"}

// readTableQuery reads the table's query from the address; unknown values
// are ignored.
func readTableQuery(u *url.URL) tableQuery {
	v := u.Query()
	q := tableQuery{Q: strings.TrimSpace(v.Get("q")), Kind: v.Get("kind"), Country: v.Get("country"), State: v.Get("state"), Sort: v.Get("sort")}
	if !slices.Contains(participantStates, q.State) {
		q.State = ""
	}
	if !slices.Contains(participantSorts, strings.TrimPrefix(q.Sort, "-")) {
		q.Sort = "name"
	}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	return q
}

// fold lower-cases s and drops its accents, for searching.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// keep reports whether row r passes the query's search and filters.
func (q tableQuery) keep(r *participantRow) bool {
	switch {
	case q.Kind != "" && string(r.Org.Kind) != q.Kind,
		q.Country != "" && r.Org.Country != q.Country,
		q.State == "no-link" && r.HasLink, q.State == "link" && !r.HasLink,
		q.State == "not-opened" && r.Opened, q.State == "opened" && !r.Opened,
		q.State == "no-request" && r.Sent+r.Received > 0,
		q.State == "no-meeting" && r.Meetings > 0, q.State == "meeting" && r.Meetings == 0:
		return false
	}
	if q.Q == "" {
		return true
	}
	hay := fold(strings.Join([]string{r.ID, r.Name, r.Email, r.JobTitle, r.Org.Name}, " "))
	for _, word := range strings.Fields(fold(q.Q)) {
		if !strings.Contains(hay, word) {
			return false
		}
	}
	return true
}

// sortRows sorts rows by the query's column, then by name and ID.
func (q tableQuery) sortRows(rows []participantRow) {
	col, down := strings.TrimPrefix(q.Sort, "-"), strings.HasPrefix(q.Sort, "-")
	by := func(a, b *participantRow) int {
		switch col {
		case "org":
			return cmp.Compare(fold(a.Org.Name), fold(b.Org.Name))
		case "country":
			return cmp.Compare(a.Org.Country, b.Org.Country)
		case "kind":
			return cmp.Compare(a.Org.Kind, b.Org.Kind)
		case "sent":
			return cmp.Compare(a.Sent, b.Sent)
		case "received":
			return cmp.Compare(a.Received, b.Received)
		case "meetings":
			return cmp.Compare(a.Meetings, b.Meetings)
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b participantRow) int {
		c := by(&a, &b)
		if down {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(fold(a.Name), fold(b.Name)), cmp.Compare(a.ID, b.ID))
	})
}

// sortLink is the address of the table sorted by col: down when it is
// already sorted up by col.
func (q tableQuery) sortLink(u *url.URL, col string) string {
	v := u.Query()
	v.Del("page")
	if q.Sort == col {
		col = "-" + col
	}
	v.Set("sort", col)
	return u.Path + "?" + v.Encode()
}

// sortHeader is a sortable column heading.
type sortHeader struct {
	Col, Label, Href string
	Sort             string // "ascending", "descending" or "" (aria-sort)
}

// headers returns the sortable headings of the table.
func (q tableQuery) headers(u *url.URL, labels map[string]string) map[string]sortHeader {
	out := map[string]sortHeader{}
	for _, col := range participantSorts {
		h := sortHeader{Col: col, Label: labels[col], Href: q.sortLink(u, col)}
		switch q.Sort {
		case col:
			h.Sort = "ascending"
		case "-" + col:
			h.Sort = "descending"
		}
		out[col] = h
	}
	return out
}
