package matcher

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/matchgrid/matchgrid/profiles"
)

// Weights parameterise the ranking. A candidate's fit is a calibrated
// probability, sigmoid(bias + sum of weight x feature): one model for
// organizations that are new to the requester (Features, Bias) and one for
// known partners, who shared a past project (Known, KnownBias), both fitted
// on history consortia and compared on the same probability scale. An
// event may override the defaults (see Options and profiles.Event.MatchWeights).
type Weights struct {
	Features  map[string]float64 `json:"features"`
	Bias      float64            `json:"bias"`
	Known     map[string]float64 `json:"known,omitempty"`
	KnownBias float64            `json:"known_bias,omitempty"`
	// Reciprocal is how much the candidate's own requests, when the
	// requester answers them, lift the score (score x (1 + Reciprocal x fit)).
	Reciprocal float64 `json:"reciprocal"`
	// PerOrganization caps the suggestions from one organization.
	PerOrganization int `json:"per_organization"`
	// Capacity is how strongly inbound demand beyond free slots pushes a
	// partner down (0 turns capacity-aware ranking off); Lift is the boost
	// of an under-requested partner.
	Capacity float64 `json:"capacity"`
	Lift     float64 `json:"lift"`
	// SameGroup allows suggesting organizations of the participant's own
	// corporate group (same name stem, e.g. SANOFI PASTEUR and SANOFI US).
	SameGroup bool `json:"same_group,omitempty"`
	// Source says where the weights come from.
	Source string `json:"source,omitempty"`
}

//go:embed weights.json
var defaultWeightsJSON []byte

// DefaultWeights returns the default weights (embedded weights.json,
// written by "matchgrid eval cordis --weights-out").
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
	out.Known = maps.Clone(w.Known)
	if out.Features == nil {
		out.Features = map[string]float64{}
	}
	if o == nil {
		return &out
	}
	maps.Copy(out.Features, o.Features)
	if len(o.Known) > 0 {
		if out.Known == nil {
			out.Known = map[string]float64{}
		}
		maps.Copy(out.Known, o.Known)
	}
	for _, f := range []struct{ dst, src *float64 }{{&out.Bias, &o.Bias}, {&out.KnownBias, &o.KnownBias},
		{&out.Reciprocal, &o.Reciprocal}, {&out.Capacity, &o.Capacity}, {&out.Lift, &o.Lift}} {
		if *f.src != 0 {
			*f.dst = *f.src
		}
	}
	if o.PerOrganization != 0 {
		out.PerOrganization = o.PerOrganization
	}
	out.SameGroup = out.SameGroup || o.SameGroup
	if o.Source != "" {
		out.Source = o.Source
	}
	return &out
}

// Validate checks that every weight names a known feature.
func (w *Weights) Validate() error {
	for _, m := range []map[string]float64{w.Features, w.Known} {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !slices.Contains(FeatureNames, k) {
				return fmt.Errorf("%w: unknown feature %q in weights (known: %v)", ErrData, k, FeatureNames)
			}
		}
	}
	return nil
}

// model is Weights as vectors over a feature row.
type model struct {
	w, known []float64
	b, kb    float64
}

func vectorOf(m map[string]float64) []float64 {
	v := make([]float64, numFeatures)
	for i, name := range FeatureNames {
		v[i] = m[name]
	}
	return v
}

func (w *Weights) model() *model {
	m := &model{w: vectorOf(w.Features), b: w.Bias}
	if len(w.Known) > 0 {
		m.known, m.kb = vectorOf(w.Known), w.KnownBias
	}
	return m
}

// weightsOf returns the weight vector and bias that score row.
func (m *model) weightsOf(row []float64) ([]float64, float64) {
	if m.known != nil && row[fPast] > 0 {
		return m.known, m.kb
	}
	return m.w, m.b
}

// prob is the calibrated probability of a row.
func (m *model) prob(row []float64) float64 {
	w, z := m.weightsOf(row)
	for i, v := range row {
		z += w[i] * v
	}
	return 1 / (1 + math.Exp(-z))
}

// Keys of profiles.Event.MatchWeights beyond feature names: an event
// stores a whole model in that flat map.
const (
	eventKeyBias      = "bias"
	eventKeyKnown     = "known."
	eventKeyKnownBias = "known.bias"
)

// FlatWeights writes the model part of w (features, bias, known-partner
// model) as the flat map an event stores (profiles.Event.MatchWeights).
func (w *Weights) FlatWeights() map[string]float64 {
	out := maps.Clone(w.Features)
	if out == nil {
		out = map[string]float64{}
	}
	out[eventKeyBias] = w.Bias
	for k, v := range w.Known {
		out[eventKeyKnown+k] = v
	}
	if len(w.Known) > 0 {
		out[eventKeyKnownBias] = w.KnownBias
	}
	return out
}

// weightsOfEvent reads an event's stored weights (see FlatWeights).
func weightsOfEvent(flat map[string]float64) *Weights {
	w := &Weights{Features: map[string]float64{}}
	for k, v := range flat {
		switch {
		case k == eventKeyBias:
			w.Bias = v
		case k == eventKeyKnownBias:
			w.KnownBias = v
		case strings.HasPrefix(k, eventKeyKnown):
			if w.Known == nil {
				w.Known = map[string]float64{}
			}
			w.Known[strings.TrimPrefix(k, eventKeyKnown)] = v
		default:
			w.Features[k] = v
		}
	}
	return w
}

// eventWeights are the weights of an event: the matcher's, then the
// event's own stored ones.
func (m *Matcher) eventWeights(ev *profiles.Event) *Weights {
	return m.Weights(ev.ID).Merge(weightsOfEvent(ev.MatchWeights))
}

// Score is the calibrated probability the weights give a feature row (in
// the order of FeatureNames).
func (w *Weights) Score(row []float64) float64 { return w.model().prob(row) }
