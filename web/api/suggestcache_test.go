package api

import (
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/matcher"
)

// The brief answer is encoded once per ranking the matcher hands out: the
// same slice gets the same bytes back, another ranking (even with equal
// contents) is encoded again, and the breakdown never shows.
func TestBriefCacheEncodesEachRankingOnce(t *testing.T) {
	ranking := func(name string) []matcher.Suggestion {
		s := []matcher.Suggestion{{ParticipantID: "p-b", Name: name}}
		s[0].Forward.Features = []matcher.Contribution{{Feature: "secret-feature"}}
		return s
	}
	var bc briefCache
	key := briefKey{"ev", "p-a", 10}
	first := ranking("Beta Lab")
	steps := []struct {
		name     string
		sug      []matcher.Suggestion
		key      briefKey
		wantName string
		sameAs   int // index of the step whose bytes must be returned again (-1: fresh bytes)
	}{
		{"first read", first, key, "Beta Lab", -1},
		{"same ranking", first, key, "Beta Lab", 0},
		{"new ranking, same contents", ranking("Beta Lab"), key, "Beta Lab", -1},
		{"new ranking, new contents", ranking("Beta Labs"), key, "Beta Labs", -1},
		{"other limit", first, briefKey{"ev", "p-a", 20}, "Beta Lab", -1},
	}
	var bodies [][]byte
	for i, st := range steps {
		body, err := bc.encoded(st.key, st.sug)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, body)
		if !strings.Contains(string(body), `"name":"`+st.wantName+`"`) || strings.Contains(string(body), "secret-feature") {
			t.Errorf("%s: body %s", st.name, body)
		}
		if st.sameAs >= 0 && &body[0] != &bodies[st.sameAs][0] {
			t.Errorf("%s: encoded again, want the bytes of step %d", st.name, st.sameAs)
		}
		for j := range i {
			if st.sameAs != j && &body[0] == &bodies[j][0] {
				t.Errorf("%s: served the bytes of step %d", st.name, j)
			}
		}
	}
	if len(first[0].Forward.Features) != 1 {
		t.Error("the matcher's slice lost its breakdown")
	}
}
