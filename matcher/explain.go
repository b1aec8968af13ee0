package matcher

// Contribution is one feature's part in a directed score.
type Contribution struct {
	Feature      string  `json:"feature"`
	Value        float64 `json:"value"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"` // Value * Weight
}

// Direction explains a directed score s(a->b): how well b fits what a looks for.
type Direction struct {
	Score    float64        `json:"score"` // sigmoid(bias + sum of contributions), in (0, 1)
	Features []Contribution `json:"features,omitempty"`
	// Terms are the words of a's texts that matched b's texts, per
	// source: "needs" (a's requests against b's offers) and "profile".
	Terms map[string][]string `json:"terms,omitempty"`
}

// AllTerms returns the matched words of every source, each once, sorted.
func (d *Direction) AllTerms() []string {
	seen := map[string]bool{}
	var out []string
	for _, src := range []string{"needs", "profile"} {
		for _, t := range d.Terms[src] {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// Suggestion is one suggested meeting partner with its explanation both ways.
type Suggestion struct {
	ParticipantID  string  `json:"participant_id"`
	OrganizationID string  `json:"organization_id"`
	Name           string  `json:"name"`         // the participant's name
	Organization   string  `json:"organization"` // the organization's name
	Score          float64 `json:"score"`        // reciprocal score after capacity adjustment
	Reciprocal     float64 `json:"reciprocal"`   // harmonic mean of the two directions
	// Forward is s(a->b) (b fits a), Backward s(b->a) (a fits b).
	Forward  Direction `json:"forward"`
	Backward Direction `json:"backward"`
	// Notes record ranking steps that changed the score (capacity).
	Notes []string `json:"notes,omitempty"`
}

// Ranking is the outcome of one participant's ranking chain: the
// suggestions, and how many candidates each step set aside and why.
type Ranking struct {
	Suggestions []Suggestion `json:"suggestions"`
	// Considered counts the candidate participants the index searches found.
	Considered int `json:"considered"`
	// Dropped counts candidates set aside, by reason ("own organization",
	// "already met", "declined", "event meeting rules", ...).
	Dropped map[string]int `json:"dropped,omitempty"`
}
