package matcher

import "testing"

// The analysis cache holds at most maxTokens tokens: it starts over when
// a text would pass the bound, and never keeps a text larger than it.
func TestAnalysisCacheBoundedByTokens(t *testing.T) {
	c := newAnalysisCache()
	c.maxTokens = 6
	steps := []struct {
		text       string
		wantTokens int
		wantTexts  int
	}{
		{"sepsis diagnostics", 2, 1},
		{"rapid sepsis diagnostics", 5, 2},
		{"rapid sepsis diagnostics", 5, 2},                                       // cached: nothing added
		{"clinical trials", 2, 1},                                                // 5 + 2 > 6: started over
		{"oncology imaging genomics vaccines biobanks cohorts registries", 0, 0}, // larger than the bound: not kept
	}
	for _, st := range steps {
		toks := c.analyze(st.text, "en")
		if len(toks) == 0 {
			t.Fatalf("%q: no tokens", st.text)
		}
		if c.tokens != st.wantTokens || len(c.m) != st.wantTexts {
			t.Errorf("after %q: %d tokens in %d texts, want %d in %d", st.text, c.tokens, len(c.m), st.wantTokens, st.wantTexts)
		}
	}
}
