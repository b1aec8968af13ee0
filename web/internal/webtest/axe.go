package webtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeFile is where .ci/run installs axe-core (npm), relative to the module root.
const axeFile = ".ci/axe/node_modules/axe-core/axe.min.js"

// Axe is the accessibility checker of the browser tests: axe-core's
// script, injected into pages through chromedp.
type Axe struct{ script string }

// LoadAxe reads axe-core from $MATCHGRID_AXE or the module's .ci/axe. Without
// it the checks are skipped, or the test fails when $CI is set (where
// .ci/run installs it).
func LoadAxe(t testing.TB) *Axe {
	t.Helper()
	path := os.Getenv("MATCHGRID_AXE")
	if path == "" {
		dir, _ := os.Getwd()
		for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				path = filepath.Join(dir, axeFile)
				break
			}
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		msg := fmt.Sprintf("axe-core not found (%v): run `npm ci --prefix .ci/axe`, or set $MATCHGRID_AXE", err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Log(msg + "; accessibility checks skipped")
		return nil
	}
	return &Axe{script: string(b)}
}

// axeViolation is what the test reports of one axe-core violation.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
	} `json:"nodes"`
}

// Check runs axe-core's WCAG 2.1 A and AA rules on p's page and fails the
// test for every violation, naming the rule and the elements.
func (a *Axe) Check(p *User, page string) {
	p.t.Helper()
	if a == nil {
		return
	}
	ctx, cancel := p.Step()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](a.script+";true")); err != nil {
		p.Fatalf("inject axe-core on %s: %v", page, err)
	}
	const run = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => ({target: n.target}))})))`
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](run, func(e *runtime.EvaluateParams) { await := true; e.AwaitPromise = &await }))
	if err != nil {
		p.Fatalf("axe-core on %s: %v", page, err)
	}
	for _, v := range found {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, strings.Join(n.Target, " "))
		}
		p.t.Errorf("%s: %s: axe %s (%s): %s; at %s", p.Name, page, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
	}
}
