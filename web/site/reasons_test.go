package site_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/matchgrid/matchgrid/web"
)

// reasonFormats are the validation reasons the module's code can give: the
// format literals of every fieldErr and profiles.NewFieldError call, with
// where each is.
func reasonFormats(t *testing.T) map[string]string {
	t.Helper()
	formats := map[string]string{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") && path != "../..") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name == "fieldErr" {
				return false // the forwarder to NewFieldError
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 5 {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if name != "fieldErr" && name != "NewFieldError" {
				return true
			}
			lit, ok := call.Args[4].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: the reason's format must be a string literal, the key of its translations", fset.Position(call.Pos()))
				return true
			}
			format, _ := strconv.Unquote(lit.Value)
			formats[format] = fset.Position(call.Pos()).String()
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return formats
}

// verb is a formatting verb, with an optional explicit argument index.
var verb = regexp.MustCompile(`%(\[(\d+)\])?[-+# 0-9.]*([a-zA-Z%])`)

// verbsOf maps each argument a format uses (1-based) to its verb letter.
func verbsOf(format string) map[int]string {
	out := map[int]string{}
	next := 1
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		if m[3] == "%" {
			continue
		}
		if m[2] != "" {
			next, _ = strconv.Atoi(m[2])
		}
		out[next] = m[3]
		next++
	}
	return out
}

// TestEveryReasonHasItalian: each validation reason the code can give has
// an Italian format taking the same arguments, and the catalog holds no
// reason the code no longer gives.
func TestEveryReasonHasItalian(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("locales/reasons/it.toml")
	if err != nil {
		t.Fatal(err)
	}
	var it map[string]string
	if err := toml.Unmarshal(b, &it); err != nil {
		t.Fatal(err)
	}
	formats := reasonFormats(t)
	if len(formats) < 50 {
		t.Fatalf("found %d reason formats in the module; the scan is broken", len(formats))
	}
	for _, en := range slices.Sorted(maps.Keys(formats)) {
		tr, ok := it[en]
		switch {
		case !ok:
			t.Errorf("%s: reason %q has no Italian", formats[en], en)
		case !maps.Equal(verbsOf(en), verbsOf(tr)):
			t.Errorf("reason %q: Italian %q takes other arguments (%v, want %v)", en, tr, verbsOf(tr), verbsOf(en))
		}
	}
	for _, en := range slices.Sorted(maps.Keys(it)) {
		if _, ok := formats[en]; !ok {
			t.Errorf("the Italian catalog translates %q, which no code gives", en)
		}
	}
}

// TestRefusalsInTheReadersLanguage: a value the store refuses is named
// with its field, and the reason is said in the page's language.
func TestRefusalsInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall)
	for _, tt := range []struct {
		lang  string
		wants []string
	}{
		{"en", []string{"Field max_meetings, value “99”: the event has 6 slots."}},
		{"it", []string{"Campo max_meetings, valore “99”: l&#39;evento ha 6 fasce orarie."}},
	} {
		a := ps.browser(t)
		a.signInParticipant(ps.eng, "ev", "p-a")
		a.get("/lang/" + tt.lang)
		page := a.follow(a.post("/e/ev/me/time", url.Values{"max_meetings": {"99"}})).body
		mustContain(t, tt.lang, page, tt.wants...)
	}
}
