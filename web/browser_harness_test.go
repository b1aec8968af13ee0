package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// The browser test's parts: a real server with the demo event on loopback,
// Debian's headless Chromium driven by chromedp, one browser context (own
// cookie jar) per person, and full-page screenshots kept as artefacts.

// browserStepTimeout bounds one step in the browser (a navigation, a click
// and the page it loads); the race detector makes the server slow.
const browserStepTimeout = 90 * time.Second

// browserServer is a server on loopback that holds the demo event.
type browserServer struct {
	base            string
	eng             *matchgrid.Engine
	organizerSecret string
}

// startBrowserServer imports the demo event into a fresh data directory, sets
// a known organizer secret and serves it on a loopback port until cleanup.
func startBrowserServer(t *testing.T) *browserServer {
	t.Helper()
	eng, err := matchgrid.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	bundle, err := demo.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	secret := profiles.NewSecret()
	err = eng.Store().Update(func(tx *profiles.Tx) error {
		if err := tx.ImportBundle(bundle, profiles.ImportOptions{}); err != nil {
			return err
		}
		return tx.SetOrganizerSecretHash(profiles.HashSecret(secret))
	})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := webtest.Serve(t, eng, web.Config{})
	return &browserServer{base: base, eng: eng, organizerSecret: secret}
}

// link issues a new personal link for a participant of the demo event and
// returns its path.
func (s *browserServer) link(t *testing.T, participantID string) string {
	t.Helper()
	links, err := s.eng.IssueLinks(demo.EventID, []string{participantID})
	if err != nil {
		t.Fatal(err)
	}
	return links[0].Path
}

// chromiumPath returns Debian's Chromium. Without it the test fails in CI
// (where .ci/run installs it) and is skipped elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("MATCHGRID_CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "the browser test needs Chromium at /usr/bin/chromium (Debian: apt-get install chromium; or set $MATCHGRID_CHROMIUM)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startBrowser starts headless Chromium with a fresh profile and returns a
// context of the browser; it is closed at cleanup.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		t.Logf("chromium: "+format, args...)
	}))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no deadline on its life
		t.Fatalf("start chromium (%s): %v", exe, err)
	}
	return ctx
}

// browserShots saves full-page PNGs into $MATCHGRID_SCREENSHOTS, or a
// temporary directory when it is not set.
type browserShots struct {
	dir string
	n   int
}

func newBrowserShots(t *testing.T) *browserShots {
	t.Helper()
	dir := os.Getenv("MATCHGRID_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return &browserShots{dir: dir}
}

// browserUser is one user in their own browser context (own cookies) with one
// tab open.
type browserUser struct {
	t     *testing.T
	name  string
	base  string
	ctx   context.Context
	shots *browserShots
}

// newBrowserUser opens a tab in a new browser context of the browser.
func newBrowserUser(t *testing.T, browser context.Context, name, base string, shots *browserShots) *browserUser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, with no deadline on its life
		t.Fatalf("%s: open a tab: %v", name, err)
	}
	return &browserUser{t: t, name: name, base: base, ctx: ctx, shots: shots}
}

// step returns a context for one step, bounded by browserStepTimeout.
func (p *browserUser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, browserStepTimeout)
}

// fatalf ends the test with the page's address and text, which usually say
// what went wrong.
func (p *browserUser) fatalf(format string, args ...any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 1500 {
		text = text[:1500] + " …"
	}
	p.t.Fatalf("%s: %s\n  at %s\n  page text: %s", p.name, fmt.Sprintf(format, args...), loc, text)
}

// open navigates to a path of the server and fails unless the page answers 200.
func (p *browserUser) open(path string) {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(p.base+path))
	if err != nil {
		p.fatalf("open %s: %v", path, err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		p.fatalf("open %s: status %v", path, responseStatus(resp))
	}
}

// submit clicks a form's submit button (the first element sel matches) and
// waits for the page the form leads to, which must answer 200.
func (p *browserUser) submit(sel string) {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		p.fatalf("submit %s: %v", sel, err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		p.fatalf("submit %s: status %v", sel, responseStatus(resp))
	}
}

func responseStatus(resp *network.Response) any {
	if resp == nil {
		return "none"
	}
	return fmt.Sprintf("%d %s", resp.Status, resp.StatusText)
}

// setValue fills the form field sel matches.
func (p *browserUser) setValue(sel, value string) {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		p.fatalf("fill %s: %v", sel, err)
	}
}

// waitVisible waits until an element sel matches is visible.
func (p *browserUser) waitVisible(sel string) {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		p.fatalf("wait for %s: %v", sel, err)
	}
}

// browserEval evaluates a JavaScript expression in p's page and decodes its value.
func browserEval[T any](p *browserUser, expr string) T {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// text returns the visible text of the first element sel matches, "" if none.
func (p *browserUser) text(sel string) string {
	p.t.Helper()
	return browserEval[string](p, fmt.Sprintf(`(e => e ? e.innerText : "")(document.querySelector(%s))`, jsQuote(sel)))
}

// count returns how many elements sel matches.
func (p *browserUser) count(sel string) int {
	p.t.Helper()
	return browserEval[int](p, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsQuote(sel)))
}

// attrs returns the data-* attributes (dataset) of every element sel matches.
func (p *browserUser) dataOf(sel string) []map[string]string {
	p.t.Helper()
	return browserEval[[]map[string]string](p, fmt.Sprintf(`Array.from(document.querySelectorAll(%s), e => Object.assign({}, e.dataset))`, jsQuote(sel)))
}

// location returns the page's address.
func (p *browserUser) location() string {
	p.t.Helper()
	return browserEval[string](p, `location.href`)
}

// cookie returns the value of the browser's cookie name for the server.
func (p *browserUser) cookie(name string) string {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.base + "/"}})
	if err != nil {
		p.fatalf("read cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	p.fatalf("no %s cookie", name)
	return ""
}

// screenshot saves a full-page PNG of the current page as NN-name.png.
func (p *browserUser) screenshot(name string) {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.fatalf("screenshot %s: %v", name, err)
	}
	p.shots.n++
	file := filepath.Join(p.shots.dir, fmt.Sprintf("%02d-%s.png", p.shots.n, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// jsQuote quotes s as a JavaScript string literal.
func jsQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return `"` + r.Replace(s) + `"`
}

// cssQuote quotes s for an attribute value in a CSS selector.
func cssQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

var foldSpaceRE = regexp.MustCompile(`\s+`)

// foldSpace folds runs of white space, so page text compares with data.
func foldSpace(s string) string { return strings.TrimSpace(foldSpaceRE.ReplaceAllString(s, " ")) }
