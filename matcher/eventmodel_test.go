package matcher

import "testing"

// TestModelCellInheritance: a snapshot after a write that touched neither
// organizations nor opportunities shares the whole model; after an
// opportunity write only the pool; after an organization write nothing.
func TestModelCellInheritance(t *testing.T) {
	pool := &Pool{}
	em := &eventModel{pool: pool}
	built := &modelCell{}
	built.em.Store(em)
	unbuilt := &modelCell{inheritedModel: em, inherited: pool}
	tests := []struct {
		name       string
		prev       *modelCell
		orgs, opps bool
		wantModel  *eventModel
		wantPool   *Pool
	}{
		{"request write", built, false, false, em, pool},
		{"request write, model not built yet", unbuilt, false, false, em, pool},
		{"opportunity write", built, false, true, nil, pool},
		{"organization write", built, true, false, nil, nil},
	}
	for _, tc := range tests {
		n := tc.prev.next(tc.orgs, tc.opps)
		if n.inheritedModel != tc.wantModel || n.inherited != tc.wantPool {
			t.Errorf("%s: model %p pool %p, want %p and %p", tc.name, n.inheritedModel, n.inherited, tc.wantModel, tc.wantPool)
		}
	}
}
