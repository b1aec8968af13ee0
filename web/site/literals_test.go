package site

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"

	"golang.org/x/net/html"
)

// action matches a template action, comments included; hole stands for
// one in the HTML a template writes.
var (
	action   = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	testidDf = regexp.MustCompile(`\{\{define "testid"\}\}[a-z-]+\{\{end\}\}`)
)

const hole = "\uE000"

// visibleAttrs are the attributes a person reads or hears.
var visibleAttrs = map[string]bool{"placeholder": true, "title": true, "alt": true, "aria-label": true,
	"data-confirm": true, "label": true, "aria-description": true}

// untranslatable are the words a page may hold outside the catalogs: the
// brand (written "match<span>grid</span>").
var untranslatable = map[string]bool{"match": true, "grid": true, "matchgrid": true}

// hasWords reports whether s, with its template holes removed, holds a
// letter that a translator would have to see.
func hasWords(s string) bool {
	s = strings.TrimSpace(strings.ReplaceAll(s, hole, " "))
	if untranslatable[s] || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "<") {
		return false
	}
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// literalText lists the words an HTML template writes itself instead of
// taking them from the catalog: text between tags and the values of
// visible attributes, with every template action cut out. Scripts, styles,
// code (commands, file names) and markup shown as text are not words to
// translate.
func literalText(src string) []string {
	src = action.ReplaceAllString(testidDf.ReplaceAllString(src, ""), hole)
	z := html.NewTokenizer(strings.NewReader(src))
	var found []string
	raw := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			return found
		case html.TextToken:
			if txt := string(z.Text()); raw == "" && hasWords(txt) {
				found = append(found, strings.TrimSpace(txt))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "script" || tok.Data == "style" || tok.Data == "code" {
				raw = tok.Data
			}
			for _, a := range tok.Attr {
				if visibleAttrs[a.Key] && hasWords(a.Val) {
					found = append(found, a.Key+"="+a.Val)
				}
			}
		case html.EndTagToken:
			if tok := z.Token(); tok.Data == raw {
				raw = ""
			}
		}
	}
}

// stringsInActions lists the string constants of a template's actions that
// read as words (a capital then small letters, or a space between
// letters), besides message IDs (the argument of t) and the entity names
// of maxlen.
func stringsInActions(name, src string) ([]string, error) {
	trees := map[string]*parse.Tree{}
	root := parse.New(name)
	root.Mode = parse.SkipFuncCheck
	if _, err := root.Parse(src, "{{", "}}", trees); err != nil {
		return nil, err
	}
	words := regexp.MustCompile(`^[A-Z][a-z]|[A-Za-z] +[A-Za-z]`)
	var found []string
	var walk func(n parse.Node, skip bool)
	walk = func(n parse.Node, skip bool) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c, false)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe, false)
		case *parse.IfNode:
			walk(&n.BranchNode, false)
		case *parse.RangeNode:
			walk(&n.BranchNode, false)
		case *parse.WithNode:
			walk(&n.BranchNode, false)
		case *parse.BranchNode:
			walk(n.Pipe, false)
			walk(n.List, false)
			walk(n.ElseList, false)
		case *parse.TemplateNode:
			walk(n.Pipe, false)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c, false)
				}
			}
		case *parse.CommandNode:
			for i, a := range n.Args {
				walk(a, isKey(n, i))
			}
		case *parse.StringNode:
			if !skip && words.MatchString(n.Text) {
				found = append(found, fmt.Sprintf("%q", n.Text))
			}
		}
	}
	for _, tr := range trees {
		walk(tr.Root, false)
	}
	return found, nil
}

// isKey reports whether the i-th argument of a command is a name rather
// than words: t's message ID and its data keys, dict's keys, maxlen's
// entity and field.
func isKey(n *parse.CommandNode, i int) bool {
	id, ok := n.Args[0].(*parse.IdentifierNode)
	switch {
	case !ok:
		return false
	case id.Ident == "t":
		return i == 1 || (i >= 2 && i%2 == 0)
	case id.Ident == "dict":
		return i%2 == 1
	}
	return id.Ident == "maxlen"
}

// TestTemplatesHoldNoLiteralText: every word a page shows comes from the
// message catalogs. A template that writes English itself, between tags,
// in a visible attribute or as a string in an action, fails.
func TestTemplatesHoldNoLiteralText(t *testing.T) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) < len(pageNames) {
		t.Fatalf("templates: %v %v", files, err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(templateFS, f)
		if err != nil {
			t.Fatal(err)
		}
		found := literalText(string(b))
		more, err := stringsInActions(f, string(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range append(found, more...) {
			t.Errorf("%s: %s", f, s)
		}
	}
}

// TestLiteralTextCheck: the check itself finds text, visible attributes
// and strings in actions, and lets markup, holes and message IDs pass.
func TestLiteralTextCheck(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{`<p>{{t "a.b"}}</p>`, 0},
		{`<p class="x" data-testid="y">{{.Name}} · {{.Org}}</p>`, 0},
		{`<p>Hello</p>`, 1},
		{`<p>{{.N}} meetings</p>`, 1},
		{`<input placeholder="Name">`, 1},
		{`<button data-confirm="{{t "x.y"}}">{{t "x.z"}}</button>`, 0},
		{`<p>{{if .X}}Locked{{end}}</p>`, 1},
		{`<p>{{printf "Found %d" .N}}</p>`, 1},
		{`{{if .X}}<p>{{printf "Found %d" .N}}</p>{{end}}`, 1},
		{`{{range .Xs}}{{else}}{{printf "Nothing here"}}{{end}}`, 1},
		{`{{with .X}}{{print "In words"}}{{end}}`, 1},
		{`<p>{{t "x.y" "Name" .N}}</p>`, 0},
		{`<script>var a = "word";</script>`, 0},
		{`<a class="brand">match<span>grid</span></a>`, 0},
		{`{{define "testid"}}grid-page{{end}}`, 0},
		{`<p data-status="{{if eq .S "CANCELLED"}}cancelled{{end}}"></p>`, 0},
	} {
		n := len(literalText(tc.src))
		more, err := stringsInActions("case", tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if n += len(more); n != tc.want {
			t.Errorf("%s: %d findings, want %d", tc.src, n, tc.want)
		}
	}
}

// userFacing are the functions and fields whose text a person reads: a
// string constant of words given to one is English outside the catalogs.
var userFacing = map[string]bool{"errorPage": true, "errorPageNext": true, "redirectWith": true, "saved": true,
	"Reason": true, "Title": true, "Label": true, "Heading": true, "Message": true, "barChart": true, "columnChart": true}

// TestHandlersHoldNoLiteralText: the handlers give the pages no words of
// their own either: no string constant of words reaches an error page, a
// flash message, a chart or a page's title, reason or label except
// through the catalogs.
func TestHandlersHoldNoLiteralText(t *testing.T) {
	words := regexp.MustCompile(`[A-Za-z]{2,} +[A-Za-z]{2,}`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		check := func(name string, args ...ast.Expr) {
			for _, a := range args {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING && words.MatchString(lit.Value) {
					t.Errorf("%s: %s gets the words %s, not a catalog message", fset.Position(lit.Pos()), name, lit.Value)
				}
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				case *ast.Ident:
					name = fn.Name
				}
				if userFacing[name] {
					check(name, n.Args...)
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && userFacing[k.Name] {
					check(k.Name, n.Value)
				}
			}
			return true
		})
	}
}
