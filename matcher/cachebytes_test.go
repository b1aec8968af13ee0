package matcher

import "testing"

// The rankings kept stay within Options.CachedRankingBytes; the least
// recently used ranking goes first, and a ranking read again is kept.
func TestRankingCacheBoundedByBytes(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	everyone := []string{"anna", "aldo", "ugo", "cleo"}
	size := 0
	for _, p := range everyone {
		size = max(size, rankingBytes(ranked(t, m, p)))
	}
	if size < 500 {
		t.Fatalf("a ranking estimated at %d bytes", size)
	}
	m.mu.Lock()
	m.opts.CachedRankingBytes = 3 * size // room for three rankings
	m.dropRankings(m.events["ev"])
	m.mu.Unlock()
	first := map[string]*Ranking{}
	for _, p := range everyone[:3] {
		first[p] = ranked(t, m, p)
	}
	ranked(t, m, "anna") // used again: aldo is now the least recently used
	ranked(t, m, "cleo") // a fourth ranking: one must go
	tests := []struct {
		p    string
		kept bool
	}{{"anna", true}, {"aldo", false}, {"ugo", true}}
	for _, tc := range tests {
		m.mu.Lock()
		_, kept := m.events["ev"].rankings[rankingKey{tc.p, 10, false}]
		m.mu.Unlock()
		if kept != tc.kept {
			t.Errorf("%s's ranking kept %v, want %v", tc.p, kept, tc.kept)
		}
	}
	if again := ranked(t, m, "aldo"); again == first["aldo"] {
		t.Error("aldo's evicted ranking was served")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	sum := 0
	for _, e := range m.events["ev"].rankings {
		sum += e.bytes
	}
	if sum != m.rankingBytes || sum > m.opts.CachedRankingBytes || m.lru.Len() != len(m.events["ev"].rankings) {
		t.Errorf("%d rankings of %d bytes, counted %d in %d, budget %d", len(m.events["ev"].rankings), sum, m.rankingBytes, m.lru.Len(), m.opts.CachedRankingBytes)
	}
}
