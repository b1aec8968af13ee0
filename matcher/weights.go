package matcher

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// Pair features of the event matcher, for a directed pair a -> b (how well
// b fits what a is looking for). Each is in [0, 1] or a small log scale.
const (
	FeatNeedText       = "need_text"          // a's requests against b's offers (BM25, saturated)
	FeatProfileText    = "profile_text"       // a's profile terms against b's profile (BM25, saturated)
	FeatCodes          = "codes"              // shared EEN technology codes (hierarchical), NACE codes, sectors, keywords
	FeatKindPair       = "kind_pair"          // learned lift of the (kind a, kind b) pairing in real consortia
	FeatPartnerSought  = "partner_sought"     // b's kind is among the kinds a's requests seek
	FeatLanguage       = "shared_language"    // a and b share a language
	FeatSameCountry    = "same_country"       // a and b are in the same country
	FeatPastPartner    = "past_partner"       // log(1 + funded projects a and b shared)
	FeatPartnerPartner = "partner_of_partner" // log(1 + Adamic-Adar over common past partners)
	FeatPopularity     = "popularity"         // log(1 + b's funded projects)
)

// FeatureNames lists the event matcher's features in explanation order.
var FeatureNames = []string{FeatNeedText, FeatProfileText, FeatCodes, FeatKindPair, FeatPartnerSought,
	FeatLanguage, FeatSameCountry, FeatPastPartner, FeatPartnerPartner, FeatPopularity}

// Weights parameterise the directed score s(a->b) = sigmoid(bias + sum of
// weight * feature) and the ranking around it. An event may override the
// defaults (see Options).
type Weights struct {
	Features map[string]float64 `json:"features"`
	Bias     float64            `json:"bias"`
	// KindLift is the learned log-lift of organization kind pairings:
	// KindLift[kind a][kind b] > 0 when a pairs with b more often than
	// their shares predict.
	KindLift map[string]map[string]float64 `json:"kind_lift"`
	// PerOrganization caps the suggestions from one organization.
	PerOrganization int `json:"per_organization"`
	// Capacity is how strongly inbound demand beyond free slots pushes a
	// partner down (0 turns capacity-aware ranking off); Lift is the boost
	// of an under-requested partner.
	Capacity float64 `json:"capacity"`
	Lift     float64 `json:"lift"`
	// Source says where the weights come from.
	Source string `json:"source,omitempty"`
}

//go:embed weights.json
var defaultWeightsJSON []byte

// DefaultWeights returns the fitted default weights (embedded
// weights.json, written by "matchgrid eval cordis --weights-out").
func DefaultWeights() *Weights {
	var w Weights
	if err := json.Unmarshal(defaultWeightsJSON, &w); err != nil {
		panic(fmt.Sprintf("matcher: embedded weights.json: %v", err))
	}
	return &w
}

// Merge returns a copy of w with the set fields of o (non-zero numbers,
// non-empty maps; feature weights key by key) taking precedence.
func (w *Weights) Merge(o *Weights) *Weights {
	out := *w
	out.Features = maps.Clone(w.Features)
	out.KindLift = maps.Clone(w.KindLift)
	if o == nil {
		return &out
	}
	for k, v := range o.Features {
		out.Features[k] = v
	}
	for k, v := range o.KindLift {
		out.KindLift[k] = v
	}
	if o.Bias != 0 {
		out.Bias = o.Bias
	}
	if o.PerOrganization != 0 {
		out.PerOrganization = o.PerOrganization
	}
	if o.Capacity != 0 {
		out.Capacity = o.Capacity
	}
	if o.Lift != 0 {
		out.Lift = o.Lift
	}
	return &out
}

// Validate checks that every weight names a known feature.
func (w *Weights) Validate() error {
	for _, k := range slices.Sorted(maps.Keys(w.Features)) {
		if !slices.Contains(FeatureNames, k) {
			return fmt.Errorf("%w: unknown feature %q in weights (known: %v)", ErrData, k, FeatureNames)
		}
	}
	return nil
}
