package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// send makes one request from a given client address (X-Forwarded-For,
// believed only with trusted proxies) with an optional session cookie and
// Bearer secret, and returns the status and the session cookie set, if any.
func send(t *testing.T, method, u, form, cookie, bearer, from string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "application/json")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "mg_session", Value: cookie})
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	resp, err := webtest.NoRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "mg_session" && c.Value != "" {
			return resp.StatusCode, c.Value
		}
	}
	return resp.StatusCode, ""
}

// Logout, a new personal link and a new organizer secret end the sessions
// they cover on the server: a copy of the cookie replayed afterwards is
// refused, by this server and by another one on the same store.
func TestSessionsEndServerSide(t *testing.T) {
	f := webtest.NewFixture(t, web.Config{})
	other, _ := webtest.Serve(t, f.Eng, web.Config{Logger: webtest.QuietLogger()})
	orgSecret := webtest.RoleSecrets[webtest.RoleOrg]
	signIn := map[string]func() string{
		"organizer": func() string {
			_, c := send(t, "POST", f.Base+"/login", "secret="+url.QueryEscape(orgSecret), "", "", "")
			return c
		},
		"participant": func() string {
			_, c := send(t, "GET", f.Base+matchgrid.LinkPath("ev", webtest.RoleSecrets[webtest.RoleA]), "", "", "", "")
			return c
		},
	}
	// Pages and API calls each role's cookie opens.
	probes := map[string][]string{
		"organizer":   {"/api/v1/events/ev/stats", "/organizer"},
		"participant": {"/api/v1/events/ev/participants/p-a/agenda", "/e/ev/me"},
	}
	tests := []struct {
		name, role string
		end        func(t *testing.T, cookie string)
	}{
		{"logout (participant)", "participant", func(t *testing.T, c string) { send(t, "POST", f.Base+"/logout", "", c, "", "") }},
		{"logout (organizer)", "organizer", func(t *testing.T, c string) { send(t, "POST", f.Base+"/logout", "", c, "", "") }},
		{"logout on another server", "organizer", func(t *testing.T, c string) { send(t, "POST", other+"/logout", "", c, "", "") }},
		{"new personal link", "participant", func(t *testing.T, _ string) {
			links, err := f.Eng.IssueLinks("ev", []string{"p-a"})
			if err != nil {
				t.Fatal(err)
			}
			webtest.RoleSecrets[webtest.RoleA] = strings.TrimPrefix(links[0].Path, "/e/ev/link?key=")
		}},
		{"new organizer secret", "organizer", func(t *testing.T, _ string) {
			orgSecret = "a new organizer secret, long enough"
			if err := f.Eng.Store().Update(func(tx *profiles.Tx) error { return tx.SetOrganizerSecret(orgSecret) }); err != nil {
				t.Fatal(err)
			}
		}},
	}
	defer func(a string) { webtest.RoleSecrets[webtest.RoleA] = a }(webtest.RoleSecrets[webtest.RoleA])
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cookie := signIn[tt.role]()
			if cookie == "" {
				t.Fatal("signing in set no cookie")
			}
			for _, base := range []string{f.Base, other} {
				for _, p := range probes[tt.role] {
					if code, _ := send(t, "GET", base+p, "", cookie, "", ""); code != http.StatusOK {
						t.Fatalf("before: %s%s = %d", base, p, code)
					}
				}
			}
			tt.end(t, cookie)
			for _, base := range []string{f.Base, other} {
				for _, p := range probes[tt.role] {
					if code, _ := send(t, "GET", base+p, "", cookie, "", ""); code == http.StatusOK {
						t.Errorf("after: the old cookie still opens %s%s", base, p)
					}
				}
			}
			// Signing in again (with the new secret) works.
			if again := signIn[tt.role](); again == "" {
				t.Error("signing in again set no cookie")
			} else if code, _ := send(t, "GET", other+probes[tt.role][0], "", again, "", ""); code != http.StatusOK {
				t.Errorf("the new session: status %d", code)
			}
		})
	}
}

// Wrong secrets are limited per client address and per target, and a
// right secret is never refused: not after wrong guesses from the same
// address, and not behind a proxy that is not trusted (where every client
// shares the proxy's address).
func TestWrongSecretsLimitedRightOnesNeverRefused(t *testing.T) {
	tests := []struct {
		name    string
		proxies []string // trusted proxies: with them, X-Forwarded-For is the client address
		from    func(i int) string
		limited bool // whether the guesses run into a limit (429)
	}{
		{"one address", nil, func(int) string { return "" }, true},
		{"one attacker behind an untrusted proxy", nil, func(i int) string { return fmt.Sprintf("10.0.0.%d", i) }, true},
		{"many addresses, one target", []string{"127.0.0.1"}, func(i int) string { return fmt.Sprintf("10.0.%d.%d", i/200, i%200) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := webtest.NewFixture(t, web.Config{TrustedProxies: tt.proxies})
			limited := false
			for i := range 60 {
				code, _ := send(t, "POST", f.Base+"/login", "secret=wrong-guess-"+fmt.Sprint(i), "", "", tt.from(i))
				switch code {
				case http.StatusTooManyRequests:
					limited = true
				case http.StatusUnauthorized:
				default:
					t.Fatalf("wrong guess %d: status %d", i, code)
				}
			}
			if limited != tt.limited {
				t.Errorf("limited = %v, want %v", limited, tt.limited)
			}
			// The right secrets, from the guesser's address and another.
			for _, from := range []string{tt.from(59), "10.9.9.9"} {
				if code, c := send(t, "POST", f.Base+"/login", "secret="+url.QueryEscape(webtest.RoleSecrets[webtest.RoleOrg]), "", "", from); code != http.StatusNoContent || c == "" {
					t.Errorf("right organizer secret from %q: status %d", from, code)
				}
				if code, _ := send(t, "GET", f.Base+"/api/v1/events/ev/stats", "", "", webtest.RoleSecrets[webtest.RoleOrg], from); code != http.StatusOK {
					t.Errorf("right organizer Bearer from %q: status %d", from, code)
				}
				if code, _ := send(t, "GET", f.Base+"/api/v1/events/ev/participants/p-a", "", "", webtest.RoleSecrets[webtest.RoleA], from); code != http.StatusOK {
					t.Errorf("right participant Bearer from %q: status %d", from, code)
				}
				if code, c := send(t, "GET", f.Base+matchgrid.LinkPath("ev", webtest.RoleSecrets[webtest.RoleA]), "", "", "", from); code != http.StatusNoContent || c == "" {
					t.Errorf("right personal link from %q: status %d", from, code)
				}
			}
			// The guessing address stays limited for wrong guesses.
			if code, _ := send(t, "GET", f.Base+"/api/v1/events", "", "", "wrong-bearer", tt.from(59)); tt.name == "one address" && code != http.StatusTooManyRequests {
				t.Errorf("a wrong Bearer from the limited address: status %d, want 429", code)
			}
		})
	}
}

// Creating and editing opportunities and profiles is limited per
// participant, across the API and the pages; the organizer and other
// participants are not slowed down by it.
func TestEditsLimitedPerParticipant(t *testing.T) {
	f := webtest.NewFixture(t, web.Config{})
	limited := -1
	for i := range 40 {
		resp, body := f.Do(webtest.RoleA, "PUT", "/api/v1/events/ev/opportunities/opp-a", webtest.OppPutBody)
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = i
			break
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("edit %d: %d %s", i, resp.StatusCode, body)
		}
	}
	if limited < 0 {
		t.Fatal("40 edits in a row were all accepted")
	}
	_, cookie := send(t, "GET", f.Base+matchgrid.LinkPath("ev", webtest.RoleSecrets[webtest.RoleA]), "", "", "", "")
	if code, _ := send(t, "POST", f.Base+"/e/ev/me/opportunities", "title=Form+way+around&kind=offer&language=en", cookie, "", ""); code != http.StatusTooManyRequests {
		t.Errorf("the page form after the API limit: status %d, want 429", code)
	}
	if resp, body := f.Do(webtest.RoleOrg, "PUT", "/api/v1/events/ev/opportunities/opp-a", webtest.OppPutBody); resp.StatusCode != http.StatusOK {
		t.Errorf("the organizer was limited: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.Do(webtest.RoleB, "POST", "/api/v1/events/ev/opportunities", strings.ReplaceAll(webtest.OppBody, "p-a", "p-b")); resp.StatusCode != http.StatusCreated {
		t.Errorf("another participant was limited: %d %s", resp.StatusCode, body)
	}
}
