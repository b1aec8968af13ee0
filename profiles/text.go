package profiles

import (
	"fmt"
	"maps"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Every text field of the domain has a cap, in characters (Unicode code
// points), and a line rule: a one-line text (a name, a title, a keyword)
// holds no control character at all; a long text (a description, a
// summary, a message) may hold line breaks (LF or CR LF) and tabs, and no
// other control character. Text must be valid UTF-8. Lists are capped in
// items too. TextCap tells the API schema and the forms the same caps.
const (
	// CapCode caps codes, sectors, cities, regions, session and table
	// names, external IDs.
	CapCode = 100
	// CapName caps names, titles, job titles, venues and keywords.
	CapName = 200
	// CapLine caps the longer one-line texts: a website, a data credit,
	// the role of a partner sought.
	CapLine = 1000
	// CapSummary caps an opportunity's summary.
	CapSummary = 2000
	// CapMessage caps a meeting request's message.
	CapMessage = 4000
	// CapLong caps a description (of an event, of an organization in one
	// language, of an opportunity).
	CapLong = 50000
	// CapItems caps the items of a list of texts (keywords, sectors,
	// codes, languages, blocked participants, descriptions by language).
	CapItems = 100
	// CapProjects caps an organization's project references.
	CapProjects = 10000
)

// TextRule is the cap of a text field and whether it may span lines.
type TextRule struct {
	Max       int  // characters
	Multiline bool // line breaks and tabs allowed
}

// textRules holds the rule of every capped text field by entity and JSON
// field path (list items and map values share their field's rule).
var textRules = map[string]map[string]TextRule{
	"event": {
		"name": {CapName, false}, "description": {CapLong, true}, "venue": {CapName, false},
		"time_zone": {CapCode, false}, "table_names": {CapCode, false}, "source": {CapLine, false},
		"days.sessions.name": {CapCode, false}, "days.breaks.name": {CapCode, false},
		"match_weights": {CapCode, false},
	},
	"organization": {
		"name": {CapName, false}, "region": {CapCode, false}, "city": {CapCode, false}, "website": {CapLine, false},
		"descriptions": {CapLong, true}, "sectors": {CapCode, false}, "keywords": {CapName, false},
		"tech_codes": {CapCode, false}, "nace_codes": {CapCode, false}, "size": {CapCode, false},
		"external_ids": {CapCode, false}, "projects.acronym": {CapCode, false},
		"projects.start_date": {CapCode, false}, "projects.role": {CapCode, false},
		"projects.title": {CapLine, true}, "projects.text": {CapLong, true}, "projects.keywords": {CapName, false},
	},
	"participant": {
		"first_name": {CapCode, false}, "last_name": {CapCode, false}, "email": {254, false},
		"job_title": {CapName, false},
	},
	"opportunity": {
		"title": {CapName, false}, "summary": {CapSummary, true}, "description": {CapLong, true},
		"keywords": {CapName, false}, "tech_codes": {CapCode, false}, "nace_codes": {CapCode, false},
		"partner_sought.role": {CapLine, false},
	},
	"meeting request": {"message": {CapMessage, true}},
}

// TextCap returns the rule of a text field of an entity ("event",
// "organization", "participant", "opportunity", "meeting request") by its
// JSON path ("partner_sought.role"); ok is false for a field without one.
func TextCap(entity, field string) (rule TextRule, ok bool) {
	rule, ok = textRules[entity][field]
	return rule, ok
}

// texts checks the text fields of one entity, keeping the first error.
type texts struct {
	entity, id string
	err        error
}

// one checks value, the field at path rule (its name in errors may carry
// an index: "keywords[2]").
func (t *texts) one(rule, name, value string) {
	if t.err != nil {
		return
	}
	r, ok := textRules[t.entity][rule]
	if !ok {
		panic("profiles: no text rule for " + t.entity + "." + rule) // a programming error, caught by the tests
	}
	t.err = checkText(t.entity, t.id, name, value, r)
}

// field checks a single text field.
func (t *texts) field(name, value string) { t.one(name, name, value) }

// list checks the items of a list field and their number.
func (t *texts) list(name string, values []string) {
	if t.err == nil && len(values) > CapItems {
		t.err = fieldErr(t.entity, t.id, name, len(values), "must have at most %d items", CapItems)
	}
	for i, v := range values {
		t.one(name, fmt.Sprintf("%s[%d]", name, i), v)
	}
}

// keyed checks the keys (one-line codes) and values of a map field.
func (t *texts) keyed(name string, values map[string]string) {
	if t.err == nil && len(values) > CapItems {
		t.err = fieldErr(t.entity, t.id, name, len(values), "must have at most %d items", CapItems)
	}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if t.err == nil {
			t.err = checkText(t.entity, t.id, name, k, TextRule{Max: CapCode})
		}
		t.one(name, name+"."+k, values[k])
	}
}

// checkText applies a text rule to one value.
func checkText(entity, id, field, value string, r TextRule) error {
	if !utf8.ValidString(value) {
		return fieldErr(entity, id, field, value, "must be valid UTF-8")
	}
	if n := utf8.RuneCountInString(value); n > r.Max {
		return fieldErr(entity, id, field, brief(value), "must be at most %d characters", r.Max)
	}
	if i, c, bad := controlChar(value, r.Multiline); bad {
		what := "must not contain control characters or line breaks"
		if r.Multiline {
			what = "may contain line breaks and tabs but no other control characters"
		}
		return fieldErr(entity, id, field, brief(value), "%s (U+%04X at character %d)", what, c, i+1)
	}
	return nil
}

// brief shortens a long value for an error message.
func brief(value string) string {
	if n := utf8.RuneCountInString(value); n > 80 {
		return fmt.Sprintf("%.60s... (%d characters)", value, n)
	}
	return value
}

// controlChar finds the first character a text may not hold: a control
// character or a line or paragraph separator, except, in a multiline
// text, LF, tab and CR followed by LF. It returns its character index.
func controlChar(s string, multiline bool) (int, rune, bool) {
	i := 0
	for pos, c := range s {
		ok := !unicode.IsControl(c) && c != '\u2028' && c != '\u2029'
		if !ok && multiline {
			ok = c == '\n' || c == '\t' || c == '\r' && pos+1 < len(s) && s[pos+1] == '\n'
		}
		if !ok {
			return i, c, true
		}
		i++
	}
	return 0, 0, false
}
