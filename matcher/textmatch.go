package matcher

import (
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

// queryTerms is the "more like this" query of an organization's text: top
// tf-idf terms and, for explanations, the word each term came from.
type queryTerms struct {
	terms []index.Term
	words map[string]string // term -> word
}

// profileTermCount and needTermCount size the "more like this" queries.
const (
	profileTermCount = 30
	needTermCount    = 30
)

// termCacheSize bounds the cache; it is emptied when full.
const termCacheSize = 100_000

// termCache keeps the query terms of organizations' texts, keyed by event,
// organization and a hash of the text (so an edited text is analysed again).
type termCache struct {
	mu      sync.Mutex
	profile map[string]*queryTerms
	need    map[string]*queryTerms
	offer   map[string]*queryTerms
}

func newTermCache() *termCache {
	return &termCache{profile: map[string]*queryTerms{}, need: map[string]*queryTerms{}, offer: map[string]*queryTerms{}}
}

// build analyses texts (language -> text) into one query.
func buildTerms(ix Index, texts map[string]string, k int) (*queryTerms, error) {
	q := &queryTerms{words: map[string]string{}}
	for _, lang := range append(append([]string{}, index.Languages...), "") {
		text, ok := texts[lang]
		if !ok || text == "" {
			continue
		}
		field := index.TextField(lang)
		terms, err := ix.TopTerms(field, text, k)
		if err != nil {
			return nil, err
		}
		for _, t := range terms {
			if _, ok := q.words[t.Term]; !ok {
				q.words[t.Term] = t.Word
			}
		}
		q.terms = append(q.terms, terms...)
	}
	return q, nil
}

// textsByField groups texts by the language of their field (other
// languages go under "").
func addText(m map[string]string, lang, text string) {
	if index.TextField(lang) == index.FieldTextOther {
		lang = ""
	}
	if m[lang] != "" {
		text = m[lang] + "\n" + text
	}
	m[lang] = text
}

// cached returns the query terms of texts under key, building them once.
func (c *termCache) cached(m map[string]*queryTerms, ix Index, key string, texts map[string]string, k int) (*queryTerms, error) {
	h := fnv.New64a()
	for _, lang := range slices.Sorted(maps.Keys(texts)) {
		h.Write([]byte(lang + "\x00" + texts[lang] + "\x00"))
	}
	key += "\x00" + strconv.FormatUint(h.Sum64(), 16)
	c.mu.Lock()
	q, ok := m[key]
	c.mu.Unlock()
	if ok {
		return q, nil
	}
	q, err := buildTerms(ix, texts, k)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(m) >= termCacheSize {
		clear(m)
	}
	m[key] = q
	c.mu.Unlock()
	return q, nil
}

// profileTerms returns the query terms of an organization's profile.
func (c *termCache) profileTerms(ix Index, o *profiles.Organization) (*queryTerms, error) {
	texts := map[string]string{}
	for lang, d := range o.Descriptions {
		addText(texts, lang, d)
	}
	return c.cached(c.profile, ix, o.EventID+"\x00"+o.ID, texts, profileTermCount)
}

// needTerms returns the query terms of an organization's requests (and
// partnership proposals).
func (c *termCache) needTerms(ix Index, s *snapshot, org string) (*queryTerms, error) {
	return c.opportunityTerms(c.need, ix, s, org, func(k profiles.OpportunityKind) bool { return k != profiles.KindOffer })
}

// offerTerms returns the query terms of what an organization offers (its
// offers and partnership proposals).
func (c *termCache) offerTerms(ix Index, s *snapshot, org string) (*queryTerms, error) {
	return c.opportunityTerms(c.offer, ix, s, org, func(k profiles.OpportunityKind) bool { return k != profiles.KindRequest })
}

// opportunityTerms builds one query from the texts of an organization's
// opportunities of the kinds keep accepts, grouped by language.
func (c *termCache) opportunityTerms(m map[string]*queryTerms, ix Index, s *snapshot, org string, keep func(profiles.OpportunityKind) bool) (*queryTerms, error) {
	texts := map[string]string{}
	for _, o := range s.oppsOf[org] {
		if keep(o.Kind) {
			lang := o.Language
			if lang == "" {
				lang = index.Detect(o.Text(), "en")
			}
			addText(texts, lang, o.Text())
		}
	}
	return c.cached(m, ix, s.event.ID+"\x00"+org, texts, needTermCount)
}

// wordsOf maps matched terms back to words of the query text.
func (q *queryTerms) wordsOf(terms []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range terms {
		w := q.words[t]
		if w == "" {
			w = t
		}
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
