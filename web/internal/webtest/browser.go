package webtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/internal/datadirtest"
	"github.com/matchgrid/matchgrid/internal/demotest"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
)

// The browser test's parts: a real server with the demo event on loopback,
// Debian's headless Chromium driven by chromedp, one browser context (own
// cookie jar) per person, and full-page screenshots kept as artefacts.

// stepTimeout bounds one step in the browser (a navigation, a click
// and the page it loads); the race detector makes the server slow.
const stepTimeout = 90 * time.Second

// BrowserServer is a server on loopback that holds the demo event.
type BrowserServer struct {
	Base            string
	Eng             *matchgrid.Engine
	OrganizerSecret string
}

// BrowserOrganizations is the size of the demo cut the browser tests
// serve: every page and journey shows on it (each journey still finds the
// people, suggestions and meetings it needs), and every page rendered,
// ranked, checked with axe-core and photographed costs in proportion to
// it under -race: 120 organizations took a package past its time budget.
const BrowserOrganizations = 30

// StartBrowserServer serves a fresh data directory holding the demo
// event's cut (imported once per test binary under datadirtest.Main,
// copied per test), with a known organizer secret, on a loopback port
// until cleanup.
func StartBrowserServer(t testing.TB) *BrowserServer {
	t.Helper()
	return StartBrowserServerWith(t, web.Config{})
}

// StartBrowserServerWith is StartBrowserServer with a server configuration.
func StartBrowserServerWith(t testing.TB, cfg web.Config) *BrowserServer {
	t.Helper()
	eng, err := matchgrid.Open(datadirtest.Dir(t, "demo-cut", func(dir string) error { return importDemoCut(t, dir) }), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	secret := profiles.NewSecret()
	err = eng.Store().Update(func(tx *profiles.Tx) error { return tx.SetOrganizerSecretHash(profiles.HashSecret(secret)) })
	if err != nil {
		t.Fatal(err)
	}
	base, _ := Serve(t, eng, cfg)
	return &BrowserServer{Base: base, Eng: eng, OrganizerSecret: secret}
}

// importDemoCut imports the demo event's cut into the data directory dir.
func importDemoCut(t testing.TB, dir string) error {
	bundle := demotest.Sample(t, BrowserOrganizations)
	eng, err := matchgrid.Open(dir, nil)
	if err != nil {
		return err
	}
	err = eng.Store().Update(func(tx *profiles.Tx) error { return tx.ImportBundle(bundle, profiles.ImportOptions{}) })
	if cerr := eng.Close(); err == nil {
		err = cerr
	}
	return err
}

// Link issues a new personal link for a participant of the demo event and
// returns its path.
func (s *BrowserServer) Link(t testing.TB, participantID string) string {
	t.Helper()
	links, err := s.Eng.IssueLinks(demo.EventID, []string{participantID})
	if err != nil {
		t.Fatal(err)
	}
	return links[0].Path
}

// ChromiumPath returns Debian's Chromium. Without it the test fails in CI
// (where .ci/run installs it) and is skipped elsewhere.
func ChromiumPath(t testing.TB) string {
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

// StartBrowser starts headless Chromium with a fresh profile and returns a
// context of the browser; it is closed at cleanup.
func StartBrowser(t testing.TB) context.Context {
	t.Helper()
	exe := ChromiumPath(t)
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

// Shots saves full-page PNGs into a folder named after the test in
// $MATCHGRID_SCREENSHOTS, or in a temporary directory when it is not set.
type Shots struct {
	dir string
	n   int
}

func NewShots(t testing.TB) *Shots {
	t.Helper()
	dir := os.Getenv("MATCHGRID_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, t.Name()) // one folder per test: tests number their shots alike
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return &Shots{dir: dir}
}

// User is one user in their own browser context (own cookies) with one
// tab open.
type User struct {
	t     testing.TB
	Name  string
	base  string
	ctx   context.Context
	shots *Shots

	mu      sync.Mutex
	dialogs []string // messages of the dialogs answered
}

// NewUser opens a tab in a new browser context of the browser.
func NewUser(t testing.TB, browser context.Context, name, base string, shots *Shots) *User {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, with no deadline on its life
		t.Fatalf("%s: open a tab: %v", name, err)
	}
	u := &User{t: t, Name: name, base: base, ctx: ctx, shots: shots}
	u.acceptDialogs()
	return u
}

// acceptDialogs answers "OK" to every confirm() of the tab, as a person who
// meant the click, and keeps the dialogs' messages (Dialogs).
func (p *User) acceptDialogs() {
	opened := make(chan string, 16)
	err := chromedp.Listen(p.ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			select {
			case opened <- d.Message:
			default:
			}
		}
	})
	if err != nil {
		p.t.Fatalf("%s: listen for dialogs: %v", p.Name, err)
	}
	go func() {
		for {
			select {
			case msg := <-opened:
				p.mu.Lock()
				p.dialogs = append(p.dialogs, msg)
				p.mu.Unlock()
				_, _ = chromedp.Call(p.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			case <-p.ctx.Done():
				return
			}
		}
	}()
}

// Dialogs returns the messages of the confirm() dialogs the tab answered.
func (p *User) Dialogs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.dialogs...)
}

// Step returns a context for one step, bounded by stepTimeout.
func (p *User) Step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, stepTimeout)
}

// Fatalf ends the test with the page's address and text, which usually say
// what went wrong.
func (p *User) Fatalf(format string, args ...any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 1500 {
		text = text[:1500] + " …"
	}
	p.t.Fatalf("%s: %s\n  at %s\n  page text: %s", p.Name, fmt.Sprintf(format, args...), loc, text)
}

// Open navigates to a path of the server and fails unless the page answers 200.
func (p *User) Open(path string) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(p.base+path))
	if err != nil {
		p.Fatalf("open %s: %v", path, err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		p.Fatalf("open %s: status %v", path, responseStatus(resp))
	}
}

// OpenURL navigates to an absolute address (another server's page) and
// fails unless it answers 200.
func (p *User) OpenURL(u string) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil || resp == nil || resp.Status != http.StatusOK {
		p.Fatalf("open %s: %v (status %v)", u, err, responseStatus(resp))
	}
}

// FrameURLs returns the addresses of the page's frames (not the page's
// own). A frame the browser refused to show has a chrome-error address.
func (p *User) FrameURLs() []string {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		p.Fatalf("frame tree: %v", err)
	}
	var out []string
	for _, child := range tree.FrameTree.ChildFrames {
		out = append(out, child.Frame.URL)
	}
	return out
}

// OpenExpect navigates to a path of the server and fails unless the page
// answers status as an HTML page.
func (p *User) OpenExpect(path string, status int) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(p.base+path))
	if err != nil {
		p.Fatalf("open %s: %v", path, err)
	}
	if resp == nil || resp.Status != int64(status) || !strings.HasPrefix(resp.MimeType, "text/html") {
		p.Fatalf("open %s: status %v (%s), want a %d page", path, responseStatus(resp), mimeOf(resp), status)
	}
}

func mimeOf(resp *network.Response) string {
	if resp == nil {
		return ""
	}
	return resp.MimeType
}

// NewTab opens another tab of the same user (same cookies).
func (p *User) NewTab(name string) *User {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	p.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		p.t.Fatalf("%s: open a tab: %v", name, err)
	}
	u := &User{t: p.t, Name: name, base: p.base, ctx: ctx, shots: p.shots}
	u.acceptDialogs()
	return u
}

// Submit clicks a form's submit button (the first element sel matches) and
// waits for the page the form leads to, which must answer 200.
func (p *User) Submit(sel string) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		p.Fatalf("submit %s: %v", sel, err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		p.Fatalf("submit %s: status %v", sel, responseStatus(resp))
	}
}

func responseStatus(resp *network.Response) any {
	if resp == nil {
		return "none"
	}
	return fmt.Sprintf("%d %s", resp.Status, resp.StatusText)
}

// Click clicks the first element sel matches (a checkbox, a summary), with
// no page load expected.
func (p *User) Click(sel string) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		p.Fatalf("click %s: %v", sel, err)
	}
}

// SetValue fills the form field sel matches.
func (p *User) SetValue(sel, value string) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		p.Fatalf("fill %s: %v", sel, err)
	}
}

// WaitVisible waits until an element sel matches is visible.
func (p *User) WaitVisible(sel string) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		p.Fatalf("wait for %s: %v", sel, err)
	}
}

// Eval evaluates a JavaScript expression in p's page and decodes its value.
func Eval[T any](p *User, expr string) T {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Text returns the visible text of the first element sel matches, "" if none.
func (p *User) Text(sel string) string {
	p.t.Helper()
	return Eval[string](p, fmt.Sprintf(`(e => e ? e.innerText : "")(document.querySelector(%s))`, JSQuote(sel)))
}

// Count returns how many elements sel matches.
func (p *User) Count(sel string) int {
	p.t.Helper()
	return Eval[int](p, fmt.Sprintf(`document.querySelectorAll(%s).length`, JSQuote(sel)))
}

// DataOf returns the data-* attributes (dataset) of every element sel matches.
func (p *User) DataOf(sel string) []map[string]string {
	p.t.Helper()
	return Eval[[]map[string]string](p, fmt.Sprintf(`Array.from(document.querySelectorAll(%s), e => Object.assign({}, e.dataset))`, JSQuote(sel)))
}

// Location returns the page's address.
func (p *User) Location() string {
	p.t.Helper()
	return Eval[string](p, `location.href`)
}

// Cookie returns the value of the browser's cookie name for the server.
func (p *User) Cookie(name string) string {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.base + "/"}})
	if err != nil {
		p.Fatalf("read cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	p.Fatalf("no %s cookie", name)
	return ""
}

// ScreenWidths are the widths every screenshot is taken at: a desktop
// window and a phone.
var ScreenWidths = []int64{1400, 390}

// Screenshot saves full-page PNGs of the current page at each of
// ScreenWidths, as NN-name-WIDTH.png, and leaves the window at the first.
func (p *User) Screenshot(name string) {
	p.t.Helper()
	p.shots.n++
	for _, w := range ScreenWidths {
		p.setWidth(w)
		ctx, cancel := p.Step()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err != nil {
			p.Fatalf("screenshot %s at %d px: %v", name, w, err)
		}
		file := filepath.Join(p.shots.dir, fmt.Sprintf("%02d-%s-%d.png", p.shots.n, name, w))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	p.setWidth(ScreenWidths[0])
}

// SetWidth emulates a window w pixels wide; below 600 px, a phone (mobile
// viewport, touch).
func (p *User) SetWidth(w int64) { p.setWidth(w) }

func (p *User) setWidth(w int64) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	phone := func(m *emulation.SetDeviceMetricsOverrideParams, t *emulation.SetTouchEmulationEnabledParams) {
		m.Mobile, t.Enabled = w < 600, w < 600
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900, phone)); err != nil {
		p.Fatalf("emulate a %d px window: %v", w, err)
	}
}

// JSQuote quotes s as a JavaScript string literal.
func JSQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return `"` + r.Replace(s) + `"`
}

// CSSQuote quotes s for an attribute value in a CSS selector.
func CSSQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

var foldSpaceRE = regexp.MustCompile(`\s+`)

// FoldSpace folds runs of white space, so page text compares with data.
func FoldSpace(s string) string { return strings.TrimSpace(foldSpaceRE.ReplaceAllString(s, " ")) }

// Upload sets the file input sel matches to the file at path (no page load).
func (p *User) Upload(sel, path string) {
	p.t.Helper()
	ctx, cancel := p.Step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path})); err != nil {
		p.Fatalf("upload %s to %s: %v", path, sel, err)
	}
}
