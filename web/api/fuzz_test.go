package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/httperr"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// fuzzHandler is the whole server (middleware, auth, API) over a seeded
// store, called in-process: a loopback round trip per input would leave
// the fuzzer a few inputs a second.
func fuzzHandler(f *testing.F) http.Handler {
	eng, err := matchgrid.Open(f.TempDir(), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	webtest.Seed(f, eng.Store())
	srv, err := web.New(eng, web.Config{Logger: webtest.QuietLogger()})
	if err != nil {
		f.Fatal(err)
	}
	return srv.Handler()
}

// call sends one request and checks the answer: never a 5xx, and every
// error a problem document.
func call(t *testing.T, h http.Handler, method, target, body, role string) (int, httperr.Problem) {
	path, query, _ := strings.Cut(target, "?")
	req := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
	req.URL.RawQuery = query // as sent, however malformed
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+webtest.RoleSecrets[role])
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var p httperr.Problem
	if rec.Code >= 500 {
		t.Fatalf("%s %s %q: %d %s", method, target, body, rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != rec.Code || p.Detail == "" {
			t.Fatalf("%s %s: %d with no problem document: %s", method, target, rec.Code, rec.Body)
		}
	}
	return rec.Code, p
}

// FuzzSearchQuery: whatever the query string, search answers 200 or a 400
// that names the parameter at fault.
func FuzzSearchQuery(f *testing.F) {
	for _, q := range []string{"q=robot", "q=robot&lang=en&kind=sme,university&country=IT&facets=kind,country",
		"kind=bogus", "lang=zz", "limit=1000", "offset=-1", "type=people", "country=Italy", "q=%ff%fe", "facets=&kind=,,", "q=a&q=b&limit=1&limit=2"} {
		f.Add(q)
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, query string) {
		code, p := call(t, h, "GET", "/api/v1/events/ev/search?"+query, "", webtest.RoleA)
		switch {
		case code == http.StatusBadRequest && p.Field == "":
			if _, err := url.ParseQuery(query); err == nil {
				t.Fatalf("400 naming no parameter for %q: %+v", query, p)
			}
		case code != http.StatusOK && code != http.StatusBadRequest:
			t.Fatalf("search?%s: status %d %+v", query, code, p)
		}
	})
}

// FuzzOpportunityBody: whatever the JSON body, creating an opportunity
// answers 201 or a 4xx problem document, never a server error.
func FuzzOpportunityBody(f *testing.F) {
	for _, b := range []string{webtest.OppBody, `{"participant_id":"p-a","kind":"offer","title":"x\u0000y","language":"en"}`,
		`{"participant_id":"p-a","kind":"offer","title":"t","language":"en","expires":"2027-01-01T00:00:00Z","keywords":["a"]}`,
		`{"participant_id":"p-a"`, `[]`, `{"title":1}`, `{"unknown":true}`, `{} {}`, ``} {
		f.Add(b)
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, body string) {
		call(t, h, "POST", "/api/v1/events/ev/opportunities", body, webtest.RoleOrg)
	})
}
