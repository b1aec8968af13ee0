package index

import (
	"fmt"
	"maps"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Request is a search: free text and weighted terms, scored with BM25,
// within one event, with filters, facets and paging.
type Request struct {
	// EventID limits the search to one event (required).
	EventID string
	// Text is matched against the text fields. With Lang set, or when the
	// text's language is detected, only that language's field is searched;
	// otherwise every text field, each with its own analyzer.
	Text string
	Lang string
	// Terms are already-analysed terms (e.g. a "more like this" profile from
	// TopTerms), each a should-clause with its boost.
	Terms []Term
	// Type limits hits to TypeOrganization or TypeOpportunity; "" allows both.
	Type string
	// Filters keeps hits whose keyword field has one of the values, for
	// every field given (e.g. FieldCountry: {"IT", "FR"}).
	Filters map[string][]string
	// Exclude drops hits whose keyword field has one of the values.
	Exclude map[string][]string
	// DocIDs, when set, limits hits to these documents.
	DocIDs []string
	// Facets lists keyword fields to count values of over all hits;
	// FacetSize caps the values per facet (default 10).
	Facets    []string
	FacetSize int
	// Offset and Limit page the hits (Limit default 10).
	Offset, Limit int
}

// Term is an analysed term of a text field with a boost.
type Term struct {
	Field string  `json:"field"`
	Term  string  `json:"term"`
	Boost float64 `json:"boost"`
	// Word is a word of the analysed text the term came from (TopTerms).
	Word string `json:"word,omitempty"`
}

// Hit is one matching document.
type Hit struct {
	DocID   string  `json:"doc_id"`
	Type    string  `json:"type"`
	EventID string  `json:"event_id"`
	ID      string  `json:"id"`     // organization or opportunity ID
	OrgID   string  `json:"org_id"` // the organization (the owner, for an opportunity)
	Name    string  `json:"name"`
	Score   float64 `json:"score"`
	// Matched lists the matched (analysed) terms per field, sorted.
	Matched map[string][]string `json:"matched,omitempty"`
	// Words are the words of the query (Request.Text, or the Word of
	// Request.Terms) behind the matched terms, as a person wrote them:
	// "intelligence", not the stem "intellig". Sorted, each once.
	Words []string `json:"words,omitempty"`
}

// MatchedTerms returns the matched terms of all fields, sorted, each once.
func (h *Hit) MatchedTerms() []string {
	var out []string
	for _, terms := range h.Matched {
		out = append(out, terms...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// FacetCount is one value of a facet and how many hits have it.
type FacetCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// Result is the outcome of a search.
type Result struct {
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
}

// Search runs a request.
func (ix *Index) Search(r *Request) (*Result, error) {
	if r.EventID == "" {
		return nil, fmt.Errorf("%w: an event ID is required", ErrInvalid)
	}
	for _, f := range append(append(slices.Collect(maps.Keys(r.Filters)), slices.Collect(maps.Keys(r.Exclude))...), r.Facets...) {
		if !slices.Contains(KeywordFields, f) {
			return nil, fmt.Errorf("%w: %q is not a keyword field (one of %v)", ErrInvalid, f, KeywordFields)
		}
	}
	q := bleve.NewBooleanQuery()
	filters := []query.Query{termQuery(FieldEvent, r.EventID)}
	if r.Type != "" {
		filters = append(filters, termQuery(FieldType, r.Type))
	}
	for _, f := range slices.Sorted(maps.Keys(r.Filters)) {
		var any []query.Query
		for _, v := range r.Filters[f] {
			any = append(any, termQuery(f, v))
		}
		if len(any) > 0 {
			filters = append(filters, bleve.NewDisjunctionQuery(any...))
		}
	}
	if len(r.DocIDs) > 0 {
		// A must clause drives the search from the few documents (a filter
		// would run the whole query first); its score is negligible.
		ids := bleve.NewDocIDQuery(r.DocIDs)
		ids.SetBoost(1e-9)
		q.AddMust(ids)
	}
	q.AddFilter(bleve.NewConjunctionQuery(filters...))
	for f, values := range r.Exclude {
		for _, v := range values {
			q.AddMustNot(termQuery(f, v))
		}
	}
	var should []query.Query
	// words maps field → analysed term → the query word it came from, so
	// that hits can say which words matched.
	words := map[string]map[string]string{}
	if r.Text != "" {
		lang := r.Lang
		if lang == "" {
			lang = Detect(r.Text, "")
		}
		fields := TextFields()
		if lang != "" {
			fields = []string{TextField(lang)}
		}
		for _, f := range fields {
			toks, err := ix.Analyze(f, r.Text)
			if err != nil {
				return nil, err
			}
			for _, t := range toks {
				wordOf(words, f)[t.Term] = t.Word
			}
			mq := bleve.NewMatchQuery(r.Text)
			mq.SetField(f)
			mq.Analyzer = analyzerOfField(f)
			should = append(should, mq)
		}
		names, err := ix.namesQuery(r.Text, words)
		if err != nil {
			return nil, err
		}
		should = append(should, names)
	}
	for _, t := range r.Terms {
		if t.Word != "" {
			wordOf(words, t.Field)[t.Term] = t.Word
		}
		tq := bleve.NewTermQuery(t.Term)
		tq.SetField(t.Field)
		if t.Boost > 0 {
			tq.SetBoost(t.Boost)
		}
		should = append(should, tq)
	}
	if len(should) > 0 {
		q.AddShould(should...)
		q.SetMinShould(1)
	} else {
		q.AddMust(bleve.NewMatchAllQuery())
	}
	limit := r.Limit
	if limit <= 0 {
		limit = 10
	}
	req := bleve.NewSearchRequestOptions(q, limit, r.Offset, false)
	req.IncludeLocations = true
	req.Fields = []string{FieldName, FieldOrganization}
	req.SortBy([]string{"-_score", "_id"})
	size := r.FacetSize
	if size <= 0 {
		size = 10
	}
	for _, f := range r.Facets {
		req.AddFacet(f, bleve.NewFacetRequest(f, size))
	}
	ix.queue.wait() // the changes delivered before the call
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return nil, err
	}
	res, err := ix.bi.Search(req)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	out := &Result{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHit(h, words))
	}
	if len(res.Facets) > 0 {
		out.Facets = map[string][]FacetCount{}
		for name, fr := range res.Facets {
			var counts []FacetCount
			if fr.Terms != nil {
				for _, t := range fr.Terms.Terms() {
					counts = append(counts, FacetCount{Term: t.Term, Count: t.Count})
				}
			}
			out.Facets[name] = counts
		}
	}
	return out, nil
}

// namesBoost weighs a name match against the text: a query that is
// someone's name finds them first.
const namesBoost = 4

// namesQuery matches the words of text as prefixes of the names in
// FieldNames, and records which query word each term is.
func (ix *Index) namesQuery(text string, words map[string]map[string]string) (query.Query, error) {
	toks, err := ix.Analyze(FieldNames, text)
	if err != nil {
		return nil, err
	}
	for _, t := range toks {
		wordOf(words, FieldNames)[t.Term] = t.Word
	}
	mq := bleve.NewMatchQuery(text)
	mq.SetField(FieldNames)
	mq.Analyzer = analyzerNamesQuery
	mq.SetBoost(namesBoost)
	return mq, nil
}

// wordOf returns the term → word map of a field, creating it.
func wordOf(words map[string]map[string]string, field string) map[string]string {
	m := words[field]
	if m == nil {
		m = map[string]string{}
		words[field] = m
	}
	return m
}

func toHit(h *search.DocumentMatch, words map[string]map[string]string) Hit {
	typ, ev, id, _ := parseDocID(h.ID)
	hit := Hit{DocID: h.ID, Type: typ, EventID: ev, ID: id, Score: h.Score, OrgID: id}
	if name, ok := h.Fields[FieldName].(string); ok {
		hit.Name = name
	}
	if org, ok := h.Fields[FieldOrganization].(string); ok {
		hit.OrgID = org
	}
	if len(h.Locations) > 0 {
		hit.Matched = map[string][]string{}
		for field, terms := range h.Locations {
			for term := range terms {
				hit.Matched[field] = append(hit.Matched[field], term)
				if w := words[field][term]; w != "" {
					hit.Words = append(hit.Words, w)
				}
			}
			slices.Sort(hit.Matched[field])
		}
		slices.Sort(hit.Words)
		hit.Words = slices.Compact(hit.Words)
	}
	return hit
}

func termQuery(field, value string) query.Query {
	q := bleve.NewTermQuery(value)
	q.SetField(field)
	return q
}

func analyzerOfField(field string) string {
	if field == FieldNames {
		return analyzerNamesQuery
	}
	for _, l := range Languages {
		if TextField(l) == field {
			return AnalyzerName(l)
		}
	}
	return "standard"
}
