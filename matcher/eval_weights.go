package matcher

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// eventFromEval maps the event matcher's features that have a CORDIS
// counterpart to the evaluation feature they are fitted on.
var eventFromEval = map[string]int{
	FeatNeedText:       fText,
	FeatProfileText:    fMLT,
	FeatKindPair:       fKind,
	FeatSameCountry:    fSameCountry,
	FeatPastPartner:    fPast,
	FeatPartnerPartner: fFoF,
	FeatPopularity:     fPop,
}

// Weights of event features CORDIS cannot fit (consortia carry no
// opportunities, codes or languages): set by hand, overridable per event.
var handWeights = map[string]float64{FeatCodes: 1.0, FeatPartnerSought: 0.5, FeatLanguage: 0.3}

// FitEventWeights fits the event matcher's default weights on CORDIS
// history (projects before cutoff): a logistic model over the features the
// event matcher shares with the evaluation, trained on the inner splits of
// history (task A labels), plus the organization-kind lift table learned
// from all history consortia.
func FitEventWeights(projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, cutoff time.Time, seed uint64, opts EvalOptions) (*Weights, error) {
	c, err := newConsortia(projects, parts)
	if err != nil {
		return nil, err
	}
	history := c.before(cutoff)
	if len(history) == 0 {
		return nil, fmt.Errorf("%w: no history before %s", ErrData, cutoff.Format(time.DateOnly))
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range eventFromEval {
			if !yield(k) {
				return
			}
		}
	})
	rng := rand.New(rand.NewPCG(seed, 0x657674))
	var samples []Sample
	for _, frac := range innerSplits {
		at := history[int(frac*float64(len(history)))].p.StartDate
		w := newWorld(c, c.before(at), at)
		groups := trainingGroups(w, w.queries(c.between(at, cutoff)), rng)
		for _, g := range groups["A"] {
			for _, s := range g {
				x := make([]float64, len(names))
				for i, name := range names {
					x[i] = s.X[eventFromEval[name]]
				}
				samples = append(samples, Sample{X: x, Label: s.Label})
			}
		}
	}
	wv, bias, err := FitLogistic(samples, trainLambda)
	if err != nil {
		return nil, err
	}
	out := &Weights{Features: map[string]float64{}, Bias: bias, KindLift: map[string]map[string]float64{},
		PerOrganization: 2, Capacity: 1, Lift: 0.15,
		Source: fmt.Sprintf("fitted on CORDIS history before %s (%d projects, %d samples); %v set by hand",
			cutoff.Format(time.DateOnly), len(history), len(samples), slices.Sorted(func(yield func(string) bool) {
				for k := range handWeights {
					if !yield(k) {
						return
					}
				}
			}))}
	for i, name := range names {
		out.Features[name] = wv[i]
	}
	for k, v := range handWeights {
		out.Features[k] = v
	}
	full := newWorld(c, history, cutoff)
	for a, ka := range profiles.OrgKinds {
		out.KindLift[string(ka)] = map[string]float64{}
		for b, kb := range profiles.OrgKinds {
			out.KindLift[string(ka)][string(kb)] = full.kindLift[a][b]
		}
	}
	opts.logf("fit: event weights %v bias %.3g", out.Features, bias)
	return out, nil
}
