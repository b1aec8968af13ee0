package index

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Token is one analysed token of a text: the indexed term and the word
// of the text it came from.
type Token struct {
	Term string `json:"term"`
	Word string `json:"word"`
}

// Analyze runs the analyzer of a text field over text.
func (ix *Index) Analyze(field, text string) ([]Token, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return nil, err
	}
	a := ix.bi.Mapping().AnalyzerNamed(analyzerOfField(field))
	if a == nil {
		return nil, fmt.Errorf("%w: no analyzer for field %q", ErrInvalid, field)
	}
	var out []Token
	for _, t := range a.Analyze([]byte(text)) {
		word := string(t.Term)
		if t.Start >= 0 && t.End <= len(text) && t.Start < t.End {
			word = strings.ToLower(text[t.Start:t.End])
		}
		out = append(out, Token{Term: string(t.Term), Word: word})
	}
	return out, nil
}

// TopTerms returns the k terms of text (analysed for field) with the
// highest tf-idf against the index, boosted by their tf-idf relative to
// the best: the "more like this" query bleve lacks.
func (ix *Index) TopTerms(field, text string, k int) ([]Term, error) {
	toks, err := ix.Analyze(field, text)
	if err != nil {
		return nil, err
	}
	tf := map[string]float64{}
	words := map[string]string{}
	for _, t := range toks {
		// Numbers (years, grant numbers) are rare and so score high, but
		// they say nothing about what an organization does.
		if len(t.Term) > 1 && !allDigits(t.Term) {
			tf[t.Term]++
			if _, ok := words[t.Term]; !ok {
				words[t.Term] = t.Word
			}
		}
	}
	ix.queue.wait() // the changes delivered before the call
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.usable(); err != nil {
		return nil, err
	}
	n, err := ix.bi.DocCount()
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	var out []Term
	for term, f := range tf {
		df, err := ix.docFreq(field, term)
		if err != nil {
			return nil, err
		}
		if df == 0 {
			continue // no other document has it: it cannot match
		}
		idf := math.Log(1 + float64(n)/float64(df))
		out = append(out, Term{Field: field, Term: term, Word: words[term], Boost: (1 + math.Log(f)) * idf})
	}
	slices.SortFunc(out, func(a, b Term) int { return cmp.Or(cmp.Compare(b.Boost, a.Boost), cmp.Compare(a.Term, b.Term)) })
	if len(out) > k {
		out = out[:k]
	}
	for i := range out {
		out[i].Boost /= out[0].Boost
	}
	return out, nil
}

// docFreq returns how many documents have term in field; ix.mu is held
// (read). Frequencies are cached until the next write.
func (ix *Index) docFreq(field, term string) (uint64, error) {
	key := field + "\x00" + term
	ix.dfMu.Lock()
	n, ok := ix.dfCache[key]
	ix.dfMu.Unlock()
	if ok {
		return n, nil
	}
	n, err := ix.readDocFreq(field, term)
	if err != nil {
		return 0, err
	}
	ix.dfMu.Lock()
	if ix.dfCache == nil || len(ix.dfCache) > 1<<20 {
		ix.dfCache = map[string]uint64{}
	}
	ix.dfCache[key] = n
	ix.dfMu.Unlock()
	return n, nil
}

func (ix *Index) readDocFreq(field, term string) (uint64, error) {
	d, err := ix.bi.FieldDictRange(field, []byte(term), []byte(term))
	if err != nil {
		return 0, fmt.Errorf("index: %w", err)
	}
	defer d.Close()
	e, err := d.Next()
	if err != nil || e == nil {
		return 0, err
	}
	return e.Count, nil
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
