package matcher

import "testing"

// TestDistinctiveSentencesNeedAnUnusualValue: the kind and country
// sentences are said only for candidates above the 90th percentile of
// their first stage, so a value many candidates share says nothing.
func TestDistinctiveSentencesNeedAnUnusualValue(t *testing.T) {
	stageOf := func(values ...float64) *stage {
		fs := &stage{}
		for _, v := range values {
			row := make([]float64, numFeatures)
			row[fNearCountry] = v
			fs.rows = append(fs.rows, row...)
		}
		for _, f := range distinctiveFeatures {
			fs.usual[f] = topTenth(fs.rows, f)
		}
		return fs
	}
	row := func(v float64) []float64 {
		r := make([]float64, numFeatures)
		r[fNearCountry] = v
		return r
	}
	cases := []struct {
		name  string
		stage []float64
		value float64
		shown bool
		usual float64
	}{
		{"everyone shares it", []float64{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 2, false, 2},
		{"above the top tenth", []float64{0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5}, 9.5, true, 9},
		{"at the top tenth", []float64{0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5}, 9, false, 9},
		{"upper quartile only", []float64{0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5}, 8, false, 9},
		{"empty stage", nil, 0.1, true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := stageOf(c.stage...)
			if fs.usual[fNearCountry] != c.usual {
				t.Errorf("upper quartile %v, want %v", fs.usual[fNearCountry], c.usual)
			}
			if got := fs.setsApart(row(c.value), fNearCountry); got != c.shown {
				t.Errorf("setsApart(%v) = %v, want %v", c.value, got, c.shown)
			}
		})
	}
}
