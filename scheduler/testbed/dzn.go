package testbed

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/matchgrid/matchgrid/scheduler"
)

// ParseDZN reads a Business-to-Business scheduler.Meeting Scheduling instance in the
// MiniZinc data format of Bofill et al. (JAIR 74, 2022) and returns it as a
// Problem:
//
//   - slots 0..nTotalSlots-1 form one day (breaks are counted over the whole
//     range, as in the paper); slots below nMorningSlots are session 0
//     (morning), the others session 1 (afternoon); every slot has nTables tables;
//   - participant i (1-based in the file) gets ID strconv.Itoa(i);
//   - meeting m (1-based, the order of `requested`) gets ID strconv.Itoa(m),
//     session 1 means morning only, 2 afternoon only, 3 either;
//   - forbidden slots and fixed slots are converted to 0-based indices,
//     the dummy 0 in forbidden sets is ignored;
//   - precedences[m] lists meetings that come strictly before m.
//
// meetingsxBusiness and nMeetingsBusiness are ignored: the meeting lists are
// rebuilt from `requested`. Errors wrap ErrParse and name the line and field.
func ParseDZN(r io.Reader) (*scheduler.Problem, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrParse, err)
	}
	items, err := parseDZNItems(src)
	if err != nil {
		return nil, err
	}
	return dznProblem(items)
}

// ParseDZNFile is ParseDZN on a file.
func ParseDZNFile(path string) (*scheduler.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := ParseDZN(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// dznValue is one parsed right-hand side.
type dznValue struct {
	line   int
	kind   byte // 'i' int, 'a' array of ints, 's' array of sets, 'r' 2-d array
	num    int
	ints   []int
	sets   [][]int
	rows   [][]int
	isSetV bool
}

type dznToken struct {
	kind byte // 'n' number, 'w' word, or the punctuation character
	text string
	num  int
	line int
}

func lexDZN(src []byte) ([]dznToken, error) {
	var toks []dznToken
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '%': // comment to end of line
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c >= '0' && c <= '9' || c == '-' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(string(src[i:j]))
			if err != nil {
				return nil, fmt.Errorf("%w: line %d: bad number %q", ErrParse, line, src[i:j])
			}
			toks = append(toks, dznToken{kind: 'n', num: n, line: line, text: string(src[i:j])})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < len(src) && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			toks = append(toks, dznToken{kind: 'w', text: string(src[i:j]), line: line})
			i = j
		case c == '.' && i+1 < len(src) && src[i+1] == '.':
			toks = append(toks, dznToken{kind: '.', text: "..", line: line})
			i += 2
		case c == '=' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}' || c == '|' || c == ',':
			toks = append(toks, dznToken{kind: c, text: string(c), line: line})
			i++
		default:
			return nil, fmt.Errorf("%w: line %d: unexpected character %q", ErrParse, line, c)
		}
	}
	return toks, nil
}

type dznParser struct {
	toks  []dznToken
	pos   int
	field string
}

func (ps *dznParser) peek() dznToken {
	if ps.pos < len(ps.toks) {
		return ps.toks[ps.pos]
	}
	line := 1
	if len(ps.toks) > 0 {
		line = ps.toks[len(ps.toks)-1].line
	}
	return dznToken{kind: 0, text: "end of input", line: line}
}

func (ps *dznParser) next() dznToken {
	t := ps.peek()
	if ps.pos < len(ps.toks) {
		ps.pos++
	}
	return t
}

func (ps *dznParser) errorf(t dznToken, format string, args ...any) error {
	return fmt.Errorf("%w: line %d: field %s: %s", ErrParse, t.line, ps.field, fmt.Sprintf(format, args...))
}

func (ps *dznParser) expect(kind byte) (dznToken, error) {
	t := ps.next()
	if t.kind != kind {
		return t, ps.errorf(t, "expected %q, found %q", string(kind), t.text)
	}
	return t, nil
}

func parseDZNItems(src []byte) (map[string]dznValue, error) {
	toks, err := lexDZN(src)
	if err != nil {
		return nil, err
	}
	ps := &dznParser{toks: toks, field: "-"}
	items := map[string]dznValue{}
	for ps.pos < len(ps.toks) {
		name := ps.next()
		if name.kind != 'w' {
			return nil, ps.errorf(name, "expected a field name, found %q", name.text)
		}
		ps.field = name.text
		if _, dup := items[name.text]; dup {
			return nil, ps.errorf(name, "defined twice")
		}
		if _, err := ps.expect('='); err != nil {
			return nil, err
		}
		v, err := ps.value()
		if err != nil {
			return nil, err
		}
		v.line = name.line
		if _, err := ps.expect(';'); err != nil {
			return nil, err
		}
		items[name.text] = v
	}
	return items, nil
}

func (ps *dznParser) value() (dznValue, error) {
	t := ps.peek()
	switch t.kind {
	case 'n':
		ps.next()
		return dznValue{kind: 'i', num: t.num}, nil
	case '{':
		set, err := ps.set()
		return dznValue{kind: 's', sets: [][]int{set}, isSetV: true}, err
	case '[':
		ps.next()
		if ps.peek().kind == '|' {
			return ps.rows()
		}
		v := dznValue{kind: 'a'}
		first := true
		for ps.peek().kind != ']' {
			if !first {
				if _, err := ps.expect(','); err != nil {
					return v, err
				}
				if ps.peek().kind == ']' { // trailing comma
					break
				}
			}
			first = false
			switch e := ps.peek(); e.kind {
			case 'n':
				ps.next()
				if v.sets != nil {
					return v, ps.errorf(e, "mixes numbers and sets")
				}
				v.ints = append(v.ints, e.num)
			case '{':
				if v.ints != nil {
					return v, ps.errorf(e, "mixes numbers and sets")
				}
				set, err := ps.set()
				if err != nil {
					return v, err
				}
				v.kind = 's'
				v.sets = append(v.sets, set)
			default:
				return v, ps.errorf(e, "expected a number or a set, found %q", e.text)
			}
		}
		ps.next()
		return v, nil
	default:
		return dznValue{}, ps.errorf(t, "expected a value, found %q", t.text)
	}
}

func (ps *dznParser) set() ([]int, error) {
	if _, err := ps.expect('{'); err != nil {
		return nil, err
	}
	out := []int{}
	first := true
	for ps.peek().kind != '}' {
		if !first {
			if _, err := ps.expect(','); err != nil {
				return nil, err
			}
		}
		first = false
		lo, err := ps.expect('n')
		if err != nil {
			return nil, err
		}
		if ps.peek().kind == '.' {
			ps.next()
			hi, err := ps.expect('n')
			if err != nil {
				return nil, err
			}
			if hi.num-lo.num > 1_000_000 {
				return nil, ps.errorf(hi, "range %d..%d too large", lo.num, hi.num)
			}
			for x := lo.num; x <= hi.num; x++ {
				out = append(out, x)
			}
			continue
		}
		out = append(out, lo.num)
	}
	ps.next()
	return out, nil
}

// rows parses a 2-d array "[| a, b, c | d, e, f |]" after its '['.
func (ps *dznParser) rows() (dznValue, error) {
	v := dznValue{kind: 'r'}
	if _, err := ps.expect('|'); err != nil {
		return v, err
	}
	var row []int
	for {
		t := ps.next()
		switch t.kind {
		case 'n':
			row = append(row, t.num)
		case ',':
		case '|':
			if ps.peek().kind == ']' {
				ps.next()
				if len(row) > 0 {
					v.rows = append(v.rows, row)
				}
				return v, nil
			}
			v.rows = append(v.rows, row)
			row = nil
		default:
			return v, ps.errorf(t, "expected a number, ',' or '|' in a 2-d array, found %q", t.text)
		}
	}
}

func dznProblem(items map[string]dznValue) (*scheduler.Problem, error) {
	intField := func(name string) (int, error) {
		v, ok := items[name]
		if !ok {
			return 0, fmt.Errorf("%w: field %s is missing", ErrParse, name)
		}
		if v.kind != 'i' {
			return 0, fmt.Errorf("%w: line %d: field %s: expected an integer", ErrParse, v.line, name)
		}
		return v.num, nil
	}
	fail := func(name string, format string, args ...any) error {
		return fmt.Errorf("%w: line %d: field %s: %s", ErrParse, items[name].line, name, fmt.Sprintf(format, args...))
	}
	nBusiness, err := intField("nBusiness")
	if err != nil {
		return nil, err
	}
	nMeetings, err := intField("nMeetings")
	if err != nil {
		return nil, err
	}
	nTables, err := intField("nTables")
	if err != nil {
		return nil, err
	}
	nSlots, err := intField("nTotalSlots")
	if err != nil {
		return nil, err
	}
	nMorning, err := intField("nMorningSlots")
	if err != nil {
		return nil, err
	}
	switch {
	case nBusiness < 2 || nBusiness > 1_000_000:
		return nil, fail("nBusiness", "%d out of range", nBusiness)
	case nMeetings < 0 || nMeetings > 10_000_000:
		return nil, fail("nMeetings", "%d out of range", nMeetings)
	case nTables < 0 || nTables > 1_000_000:
		return nil, fail("nTables", "%d out of range", nTables)
	case nSlots < 1 || nSlots > scheduler.MaxSlotsPerDay:
		return nil, fail("nTotalSlots", "%d out of range 1..%d", nSlots, scheduler.MaxSlotsPerDay)
	case nMorning < 0 || nMorning > nSlots:
		return nil, fail("nMorningSlots", "%d out of range 0..%d", nMorning, nSlots)
	}
	p := &scheduler.Problem{}
	for s := 0; s < nSlots; s++ {
		ses := 0
		if s >= nMorning {
			ses = 1
		}
		p.Slots = append(p.Slots, scheduler.Slot{Day: 0, Session: ses, Tables: nTables})
	}
	for i := 1; i <= nBusiness; i++ {
		p.Participants = append(p.Participants, scheduler.Participant{ID: strconv.Itoa(i)})
	}
	req, ok := items["requested"]
	if !ok {
		return nil, fmt.Errorf("%w: field requested is missing", ErrParse)
	}
	if req.kind != 'r' && !(req.kind == 'a' && len(req.ints) == 0) {
		return nil, fail("requested", "expected a 2-d array [| a, b, session | ... |]")
	}
	if len(req.rows) != nMeetings {
		return nil, fail("requested", "%d rows, nMeetings = %d", len(req.rows), nMeetings)
	}
	for m, row := range req.rows {
		if len(row) != 3 {
			return nil, fail("requested", "row %d has %d values, want 3 (a, b, session)", m+1, len(row))
		}
		a, b, ses := row[0], row[1], row[2]
		if a < 1 || a > nBusiness || b < 1 || b > nBusiness || a == b {
			return nil, fail("requested", "row %d: participants %d, %d invalid (1..%d, distinct)", m+1, a, b, nBusiness)
		}
		mt := scheduler.Meeting{ID: strconv.Itoa(m + 1), A: strconv.Itoa(a), B: strconv.Itoa(b)}
		switch ses {
		case 1:
			mt.Sessions = []int{0}
		case 2:
			mt.Sessions = []int{1}
		case 3:
		default:
			return nil, fail("requested", "row %d: session %d, want 1, 2 or 3", m+1, ses)
		}
		if ses != 3 && (ses == 1 && nMorning == 0 || ses == 2 && nMorning == nSlots) {
			return nil, fail("requested", "row %d: session %d has no slots", m+1, ses)
		}
		p.Meetings = append(p.Meetings, mt)
	}
	if v, ok := items["forbidden"]; ok {
		if v.kind != 's' && !(v.kind == 'a' && len(v.ints) == 0) || len(v.sets) != nBusiness {
			return nil, fail("forbidden", "expected %d sets, one per participant", nBusiness)
		}
		for i, set := range v.sets {
			for _, x := range set {
				if x == 0 {
					continue // MiniZinc dummy
				}
				if x < 1 || x > nSlots {
					return nil, fail("forbidden", "participant %d: slot %d out of range 1..%d", i+1, x, nSlots)
				}
				p.Participants[i].Forbidden = append(p.Participants[i].Forbidden, x-1)
			}
		}
	}
	if v, ok := items["fixed"]; ok {
		if v.kind != 'a' || len(v.ints) != nMeetings {
			return nil, fail("fixed", "expected %d integers, one per meeting", nMeetings)
		}
		for m, x := range v.ints {
			if x == 0 {
				continue
			}
			if x < 1 || x > nSlots {
				return nil, fail("fixed", "meeting %d: slot %d out of range 1..%d", m+1, x, nSlots)
			}
			p.Meetings[m].Fixed, p.Meetings[m].FixedSlot = true, x-1
		}
	}
	if v, ok := items["precedences"]; ok {
		if v.kind != 's' && !(v.kind == 'a' && len(v.ints) == 0) || len(v.sets) != nMeetings {
			return nil, fail("precedences", "expected %d sets, one per meeting", nMeetings)
		}
		for m, set := range v.sets {
			for _, x := range set {
				if x < 1 || x > nMeetings || x == m+1 {
					return nil, fail("precedences", "meeting %d: predecessor %d invalid", m+1, x)
				}
				p.Precedences = append(p.Precedences, scheduler.Precedence{Before: strconv.Itoa(x), After: strconv.Itoa(m + 1)})
			}
		}
	}
	return p, nil
}
