package matcher

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Contribution is one feature's part in a directed score (organizer
// diagnostics: raw values and weights).
type Contribution struct {
	Feature      string  `json:"feature"`
	Value        float64 `json:"value"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"` // Value * Weight
}

// Direction explains one direction of a pair: Forward is how well they fit
// what you look for, Backward how well you fit what they look for.
type Direction struct {
	// Score is the direction's fit in [0, 1]: forward, the calibrated
	// probability of the fitted model; backward, how well your texts answer
	// their requests (or, without requests, how close your profiles are).
	Score float64 `json:"score"`
	// Sentences say in plain words (English) why, to print as they are;
	// Reasons are the same as data, for pages in other languages.
	Sentences []string `json:"sentences,omitempty"`
	Reasons   []Reason `json:"reasons,omitempty"`
	// Terms are the words that matched, per source ("needs": a request's
	// words found in the other's profile, track record or opportunities;
	// "profile": profile words in common): at most MaxTerms in all, ranked
	// by their contribution to the score, each the text's own word.
	Terms map[string][]string `json:"terms,omitempty"`
	// Features are the raw feature contributions (organizer diagnostics).
	Features []Contribution `json:"features,omitempty"`
}

// MaxTerms caps the words shown per direction.
const MaxTerms = 8

// AllTerms returns the matched words of every source, each once.
func (d *Direction) AllTerms() []string {
	var out []string
	for _, src := range []string{"needs", "profile"} {
		for _, t := range d.Terms[src] {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// Mutual-fit bands of a suggestion, relative to the participant's best suggestion.
const (
	FitStrong    = "strong"
	FitGood      = "good"
	FitWorthLook = "worth a look"
	// FitScale says what the band and percentage are relative to, for pages to print.
	FitScale = "mutual fit relative to your best suggestion"
)

// fitBand names a score relative to the best suggestion's.
func fitBand(rel float64) string {
	switch {
	case rel >= 0.75:
		return FitStrong
	case rel >= 0.45:
		return FitGood
	}
	return FitWorthLook
}

// Suggestion is one suggested meeting partner with its explanation both ways.
type Suggestion struct {
	ParticipantID  string `json:"participant_id"`
	OrganizationID string `json:"organization_id"`
	Name           string `json:"name"`         // the participant's name
	Organization   string `json:"organization"` // the organization's name
	// Score ranks the suggestions: the forward fit, lifted when you answer
	// their requests, after the capacity adjustment.
	Score      float64 `json:"score"`
	Reciprocal float64 `json:"reciprocal"` // the score before the capacity adjustment
	// Fit is the mutual-fit band (FitStrong, FitGood, FitWorthLook) and
	// FitPercent the score as a percentage of the best suggestion's; both
	// read on FitScale.
	Fit        string `json:"fit"`
	FitPercent int    `json:"fit_percent"`
	// KnownPartner lists the projects the two organizations worked on
	// together (empty for a new partner); Known says it in a sentence.
	KnownPartner []string `json:"known_partner,omitempty"`
	Known        string   `json:"known,omitempty"`
	// Forward is how well they fit you, Backward how well you fit them.
	Forward  Direction `json:"forward"`
	Backward Direction `json:"backward"`
	// Notes record ranking steps that changed the score (capacity), for
	// the organizer's diagnostics.
	Notes []string `json:"notes,omitempty"`
}

// Ranking is the outcome of one participant's ranking chain: the
// suggestions, and how many candidates each step set aside and why.
type Ranking struct {
	Suggestions []Suggestion `json:"suggestions"`
	// Considered counts the candidate participants of the first stage.
	Considered int `json:"considered"`
	// Dropped counts candidates set aside, by reason ("own organization",
	// "already met", "declined", "event meeting rules", ...).
	Dropped map[string]int `json:"dropped,omitempty"`
}

// scoredTerm is a matched word (of term) and its part in a score.
type scoredTerm struct {
	term   int32
	word   string
	source string
	score  float64
}

// institutionalWords are words of funding and consortium boilerplate
// ("European Union", "Horizon Europe", "work package"): project texts
// use them whatever the topic, so they say who funds or how a project is
// run, never what an organization does. They are not shown as matched
// words (they still count in the ranking).
var institutionalWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`union unione europa europe european europea europeo europeen europaische eu
		commission horizon programme programmes program programs framework consortium consortia partner partners
		partnership partnerships member members state states grant grants funding funded fund call calls
		package packages deliverable deliverables task tasks action actions objective objectives
		activity activities participant participants organisation organisations organization organizations
		association associations federation federations`) {
		m[w] = true
	}
	return m
}()

// showable reports whether a word may be shown in an explanation: at
// least 3 letters, no digits, not a stop word, not a word of either
// organization's name.
func showable(w string, names ...map[string]bool) bool {
	if len([]rune(w)) < 3 || stopWords[w] {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	for _, n := range names {
		if n[w] || n[stripAccents(w)] {
			return false
		}
	}
	return true
}

// topTermsBySource keeps the best MaxTerms showable words, each once, and
// groups them by source. Institutional words and the pool's acronyms are
// left out too.
func (p *Pool) topTermsBySource(terms []scoredTerm, names ...map[string]bool) map[string][]string {
	// Words that may not be shown go before the sort, which then has
	// fewer to order (the order of the rest is the same).
	terms = slices.DeleteFunc(terms, func(t scoredTerm) bool {
		return !showable(t.word, names...) || institutionalWords[t.word] || p.acronyms[t.term]
	})
	slices.SortStableFunc(terms, func(a, b scoredTerm) int { return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.word, b.word)) })
	out := map[string][]string{}
	var seen []string
	for _, t := range terms {
		if len(seen) == MaxTerms {
			break
		}
		if slices.Contains(seen, t.word) {
			continue
		}
		seen = append(seen, t.word)
		out[t.source] = append(out[t.source], t.word)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// listWords writes words as "a, b and c".
func listWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// knownSentence says which projects two organizations shared.
func knownSentence(projects []string) string {
	if len(projects) == 0 {
		return ""
	}
	shown := projects
	if len(shown) > 3 {
		shown = append(slices.Clone(shown[:3]), fmt.Sprintf("%d more", len(projects)-3))
	}
	return "You worked together in " + listWords(shown) + "."
}
