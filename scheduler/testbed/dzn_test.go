package testbed

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/scheduler"
	"github.com/matchgrid/matchgrid/scheduler/internal/schedtest"
)

func TestParseDZNInstances(t *testing.T) {
	want := map[string][4]int{ // participants, meetings, slots, tables
		"forum-13.original":      {70, 154, 21, 14},
		"forum-13crafb.original": {76, 195, 22, 14},
		"forum-14.original":      {78, 302, 22, 22},
		"forumt-14.original":     {60, 237, 10, 27},
	}
	for _, f := range schedtest.B2BSPFiles(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".dzn")
		p, err := ParseDZNFile(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w, ok := want[name]
		if !ok {
			continue
		}
		got := [4]int{len(p.Participants), len(p.Meetings), len(p.Slots), p.Slots[0].Tables}
		if got != w {
			t.Errorf("%s: got participants, meetings, slots, tables %v, want %v", name, got, w)
		}
	}
}

const smallDZN = `% a comment
nBusiness = 4;
nMeetings = 3;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2, 1
|2, 3, 2
|3, 4, 3
|];
meetingsxBusiness = [{1,2},{1,2,3},{1,3,4},{1,4}];
nMeetingsBusiness = [1,2,2,1];
forbidden = [{0}, {0,4}, {}, {1..2}];
fixed = [0,0,4];
precedences = [{}, {1}, {}];
`

func TestParseDZNFields(t *testing.T) {
	p, err := ParseDZN(strings.NewReader(smallDZN))
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{p.Slots[0].Session, p.Slots[1].Session, p.Slots[2].Session, p.Slots[3].Session}; !equalInts(got, []int{0, 0, 1, 1}) {
		t.Errorf("sessions %v", got)
	}
	if m := p.Meetings[0]; m.A != "1" || m.B != "2" || !equalInts(m.Sessions, []int{0}) {
		t.Errorf("meeting 1 = %+v", m)
	}
	if m := p.Meetings[1]; !equalInts(m.Sessions, []int{1}) {
		t.Errorf("meeting 2 sessions %v", m.Sessions)
	}
	if m := p.Meetings[2]; m.Sessions != nil || !m.Fixed || m.FixedSlot != 3 {
		t.Errorf("meeting 3 = %+v", m)
	}
	if got := p.Participants[1].Forbidden; !equalInts(got, []int{3}) {
		t.Errorf("forbidden of 2 = %v", got)
	}
	if got := p.Participants[3].Forbidden; !equalInts(got, []int{0, 1}) {
		t.Errorf("forbidden of 4 = %v", got)
	}
	if len(p.Precedences) != 1 || p.Precedences[0] != (scheduler.Precedence{Before: "1", After: "2"}) {
		t.Errorf("precedences %v", p.Precedences)
	}
	res := solveChecked(t, p, scheduler.Options{Seed: 1, Iterations: 1000})
	if res.Metrics.Placed != 3 {
		t.Errorf("placed %d of 3: %v", res.Metrics.Placed, res.Unplaced)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseDZNErrorsNameLineAndField(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"missing field", "nBusiness = 2;", "field nMeetings is missing"},
		{"bad character", "nBusiness = 2;\nnMeetings = #;", "line 2"},
		{"wrong row count", strings.Replace(smallDZN, "nMeetings = 3", "nMeetings = 4", 1), "field requested: 3 rows, nMeetings = 4"},
		{"participant out of range", strings.Replace(smallDZN, "|3, 4, 3", "|3, 9, 3", 1), "line 7: field requested: row 3"},
		{"bad session", strings.Replace(smallDZN, "|3, 4, 3", "|3, 4, 5", 1), "session 5"},
		{"forbidden out of range", strings.Replace(smallDZN, "{0,4}", "{0,5}", 1), "field forbidden: participant 2: slot 5"},
		{"fixed count", strings.Replace(smallDZN, "fixed = [0,0,4]", "fixed = [0,4]", 1), "field fixed"},
		{"precedence self", strings.Replace(smallDZN, "[{}, {1}, {}]", "[{}, {2}, {}]", 1), "field precedences: meeting 2"},
		{"missing semicolon", "nBusiness = 2\nnMeetings = 1;", "line 2: field nBusiness: expected \";\""},
		{"duplicate field", "nBusiness = 2;\nnBusiness = 3;", "line 2: field nBusiness: defined twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDZN(strings.NewReader(tc.src))
			if !errors.Is(err, ErrParse) {
				t.Fatalf("want ErrParse, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func FuzzParseDZN(f *testing.F) {
	f.Add(smallDZN)
	f.Add("nBusiness = 2;")
	f.Add("requested = [| 1, 2, 3 |];")
	f.Add("forbidden = [{1..3}, {}];")
	f.Add("%%%\n[|||]")
	f.Fuzz(func(t *testing.T, src string) {
		p, err := ParseDZN(strings.NewReader(src))
		if err != nil {
			if !errors.Is(err, ErrParse) {
				t.Fatalf("error does not wrap ErrParse: %v", err)
			}
			return
		}
		// Whatever parses must be a problem the solver accepts.
		if _, err := scheduler.FirstFit(p); err != nil {
			t.Fatalf("parsed problem rejected: %v", err)
		}
	})
}

func TestParseDZNRejectsGarbage(t *testing.T) {
	for _, src := range []string{"", "hello", "nBusiness = ;", "{1,2}", "nBusiness = 2; nMeetings = 1; nTables = 1; nTotalSlots = 1; nMorningSlots = 1;"} {
		if _, err := ParseDZN(strings.NewReader(src)); err == nil {
			t.Errorf("%q parsed without error", src)
		}
	}
}
