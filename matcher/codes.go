package matcher

import "github.com/matchgrid/matchgrid/profiles"

// codesOf returns a scorer of the codes organization a shares with another
// in [0, 1]: technology codes (by the depth of the longest shared prefix),
// then NACE codes, sectors and keywords (Jaccard each), averaged. a's sets
// are built once, so scoring a whole event against a is cheap.
func codesOf(a *profiles.Organization) func(b *profiles.Organization) float64 {
	sets := [3]map[string]bool{setOf(a.NACECodes), setOf(a.Sectors), setOf(a.Keywords)}
	sizes := [3]int{len(a.NACECodes), len(a.Sectors), len(a.Keywords)}
	return func(b *profiles.Organization) float64 {
		sum := techOverlap(a.TechCodes, b.TechCodes)
		for i, y := range [3][]string{b.NACECodes, b.Sectors, b.Keywords} {
			if sizes[i] == 0 || len(y) == 0 {
				continue
			}
			inter := 0
			for _, v := range y {
				if sets[i][v] {
					inter++
				}
			}
			sum += float64(inter) / float64(sizes[i]+len(y)-inter)
		}
		return sum / 4
	}
}

// techOverlap is the best share of a common prefix between two lists of
// hierarchical technology codes.
func techOverlap(xs, ys []string) float64 {
	var best float64
	for _, x := range xs {
		for _, y := range ys {
			n := 0
			for n < len(x) && n < len(y) && x[n] == y[n] {
				n++
			}
			best = max(best, float64(n)/float64(max(len(x), len(y))))
		}
	}
	return best
}

func setOf(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
