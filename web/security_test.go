package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

func TestSecurityHeaders(t *testing.T) {
	base := startServer(t)
	for _, path := range []string{"/healthz", "/api/v1/events", "/nothing"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		for name, want := range map[string]string{
			"Content-Security-Policy": "frame-ancestors 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"X-Frame-Options":         "DENY",
		} {
			if !strings.Contains(h.Get(name), want) {
				t.Errorf("%s: %s = %q, want it to contain %q", path, name, h.Get(name), want)
			}
		}
	}
}

// HSTS is sent exactly when the server is told it sits behind TLS
// (--secure-cookies); on plain HTTP it would lock browsers out.
func TestHSTSWithSecureCookies(t *testing.T) {
	for _, secure := range []bool{false, true} {
		eng, err := matchgrid.Open(t.TempDir(), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { eng.Close() })
		base, _ := webtest.Serve(t, eng, web.Config{Logger: webtest.QuietLogger(), SecureCookies: secure})
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("Strict-Transport-Security")
		if secure != strings.Contains(got, "max-age=31536000") {
			t.Errorf("secure cookies %v: Strict-Transport-Security %q", secure, got)
		}
	}
}

func TestCrossOriginAndBodyLimits(t *testing.T) {
	base := startServer(t)
	tests := []struct {
		name    string
		method  string
		headers map[string]string
		body    string
		status  int
	}{
		{"cross-site browser POST", http.MethodPost, map[string]string{"Sec-Fetch-Site": "cross-site"}, "{}", http.StatusForbidden},
		{"foreign Origin POST", http.MethodPost, map[string]string{"Origin": "https://evil.example"}, "{}", http.StatusForbidden},
		{"same-origin POST passes the check", http.MethodPost, map[string]string{"Sec-Fetch-Site": "same-origin"}, "{}", http.StatusUnauthorized},
		{"API client POST passes the check", http.MethodPost, nil, "{}", http.StatusUnauthorized},
		{"cross-site GET is harmless", http.MethodGet, map[string]string{"Sec-Fetch-Site": "cross-site"}, "", http.StatusOK},
		{"oversized body", http.MethodPost, nil, strings.Repeat("x", web.MaxBodyBytes+1), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, base+"/api/v1/events", strings.NewReader(tt.body))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				if tt.status == http.StatusRequestEntityTooLarge {
					return // the server may close before the client finishes; refusing is the point
				}
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}
