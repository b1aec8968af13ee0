package eval

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// Sample is one training example: a feature vector and whether the pair
// really partnered (1) or not (0).
type Sample struct {
	X     []float64
	Label float64
	Group int // the query the sample belongs to
}

// FitLogistic fits the weights and bias of a logistic model
// P(partner) = sigmoid(w.x + b) to samples with L2 penalty lambda on w,
// using L-BFGS from gonum/optimize. Features are standardised inside and
// the returned weights are on the original scale. Positives are weighted
// so that both classes count the same.
func FitLogistic(samples []Sample, lambda float64) (w []float64, b float64, err error) {
	return fitLogistic(samples, lambda, true)
}

// fitLogistic is FitLogistic; without balance every sample weighs the
// same, so the model's probabilities are calibrated on the samples.
func fitLogistic(samples []Sample, lambda float64, balance bool) (w []float64, b float64, err error) {
	if len(samples) == 0 {
		return nil, 0, fmt.Errorf("%w: no training samples", ErrData)
	}
	d := len(samples[0].X)
	mean, sd := make([]float64, d), make([]float64, d)
	var npos float64
	for _, s := range samples {
		for j, v := range s.X {
			mean[j] += v
		}
		npos += s.Label
	}
	n := float64(len(samples))
	if npos == 0 || npos == n {
		return nil, 0, fmt.Errorf("%w: training samples need both classes", ErrData)
	}
	for j := range mean {
		mean[j] /= n
	}
	for _, s := range samples {
		for j, v := range s.X {
			sd[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j] / n)
		if sd[j] < 1e-12 {
			sd[j] = 1
		}
	}
	posW := 1.0
	if balance {
		posW = (n - npos) / npos
	}
	z := make([][]float64, len(samples))
	for i, s := range samples {
		z[i] = make([]float64, d)
		for j, v := range s.X {
			z[i][j] = (v - mean[j]) / sd[j]
		}
	}
	// Parameters: d weights then the bias.
	loss := func(p, grad []float64) float64 {
		if grad != nil {
			clear(grad)
		}
		var f float64
		for i, s := range samples {
			m := p[d]
			for j, v := range z[i] {
				m += p[j] * v
			}
			wt := 1.0
			if s.Label > 0 {
				wt = posW
			}
			// log(1+exp(m)) - y*m, computed stably.
			var lse float64
			if m > 0 {
				lse = m + math.Log1p(math.Exp(-m))
			} else {
				lse = math.Log1p(math.Exp(m))
			}
			f += wt * (lse - s.Label*m)
			if grad != nil {
				g := wt * (1/(1+math.Exp(-m)) - s.Label)
				for j, v := range z[i] {
					grad[j] += g * v
				}
				grad[d] += g
			}
		}
		for j := range d {
			f += 0.5 * lambda * p[j] * p[j]
			if grad != nil {
				grad[j] += lambda * p[j]
			}
		}
		return f
	}
	prob := optimize.Problem{
		Func: func(p []float64) float64 { return loss(p, nil) },
		Grad: func(grad, p []float64) { loss(p, grad) },
	}
	res, err := optimize.Minimize(prob, make([]float64, d+1), &optimize.Settings{MajorIterations: 500}, &optimize.LBFGS{})
	if err != nil && res == nil {
		return nil, 0, fmt.Errorf("fit: %w", err)
	}
	w = make([]float64, d)
	b = res.X[d]
	for j := range d {
		w[j] = res.X[j] / sd[j]
		b -= w[j] * mean[j]
	}
	return w, b, nil
}
