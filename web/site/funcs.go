package site

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// templateFuncs are the helpers every page template may call.
var templateFuncs = template.FuncMap{
	"pct":     percent,
	"when":    func(t time.Time) string { return t.Format("Mon 2 Jan 2006, 15:04") },
	"clock":   func(t time.Time) string { return t.Format("15:04") },
	"clockIn": func(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") },
	"day":     func(t time.Time) string { return t.Format("Mon 2 Jan 2006") },
	"join":    strings.Join,
	"add":     func(a, b int) int { return a + b },
	"addf":    func(a, b float64) float64 { return a + b },
	"has":     slices.Contains[[]string],
	"short":   shorten,
	"dict":    dict,
	"hasKind": slices.Contains[[]profiles.OrgKind],
	"maxlen":  maxLength,
}

// maxLength is the maxlength of a form field: the cap validation applies
// to the entity's field (profiles.TextCap), so that a browser stops typing
// where the server would refuse.
func maxLength(entity, field string) (int, error) {
	rule, ok := profiles.TextCap(entity, field)
	if !ok {
		return 0, fmt.Errorf("maxlen: no text cap for %s %s", entity, field)
	}
	return rule.Max, nil
}

// dict builds a map from key-value pairs, to pass several values to a
// partial template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// humanize turns a stored code ("large_company", "rd_request") into words.
func humanize(v any) string {
	s := strings.ReplaceAll(fmt.Sprint(v), "_", " ")
	if s == "" {
		return s
	}
	switch s {
	case "sme":
		return "SME"
	case "rd request":
		return "R&D request"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// percent formats a share in [0, 1] as a whole percentage.
func percent(f float64) string {
	if math.IsNaN(f) {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*f)
}

// shorten cuts a text to about n characters at a word boundary.
func shorten(n int, s string) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	return strings.TrimRight(s[:cut], " ,.;:") + "…"
}
