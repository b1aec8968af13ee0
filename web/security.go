package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/matchgrid/matchgrid/web/httperr"
	"github.com/matchgrid/matchgrid/web/site"
)

// MaxBodyBytes bounds a request body: the largest legitimate one is a CSV
// upload of registrations, far below this.
const MaxBodyBytes = 8 << 20

// securityHeaders sets the headers every response carries: a strict content
// security policy (pages use only their own scripts and styles), the
// framing policy, no MIME sniffing, and no referrer leaving the site
// (personal links carry secrets). No page may be framed (frame-ancestors
// 'none') except the routes in frameableRoutes (the suggestions widget),
// which frameAncestors (Config.FrameAncestors) may frame; with none
// configured, nothing may. With hsts (the site is served over TLS, as
// Config.SecureCookies says) browsers are told to use HTTPS only.
func securityHeaders(frameAncestors []string, hsts bool) gin.HandlerFunc {
	const base = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "
	deny, framed := base+"'none'", base+strings.Join(frameAncestors, " ")
	return func(c *gin.Context) {
		h := c.Writer.Header()
		if frameableRoutes[c.FullPath()] && len(frameAncestors) > 0 {
			h.Set("Content-Security-Policy", framed)
		} else {
			h.Set("Content-Security-Policy", deny)
			h.Set("X-Frame-Options", "DENY") // for browsers that predate frame-ancestors
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		c.Next()
	}
}

// frameableRoutes are the route patterns another site may put in a frame.
var frameableRoutes = map[string]bool{site.WidgetRoute: true}

// limitBodies caps request bodies at MaxBodyBytes; a handler reading past it
// gets an error and the client a 413.
func limitBodies(c *gin.Context) {
	if c.Request.ContentLength > MaxBodyBytes {
		httperr.Write(c, http.StatusRequestEntityTooLarge, "request body larger than 8 MiB", "")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxBodyBytes)
	c.Next()
}

// crossOriginProtection refuses state-changing requests that a browser
// sends from another origin (CSRF), using the browser's Sec-Fetch-Site and
// Origin headers; API clients without those headers (curl, servers) pass,
// and so do requests carrying a Bearer token: a browser never attaches one
// on its own, so a forged request cannot carry it.
func crossOriginProtection(trustedOrigins []string) (gin.HandlerFunc, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range trustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	return func(c *gin.Context) {
		if strings.HasPrefix(c.GetHeader("Authorization"), "Bearer ") {
			c.Next()
			return
		}
		if err := cop.Check(c.Request); err != nil {
			httperr.Write(c, http.StatusForbidden, "cross-origin request refused: "+err.Error(), "")
			return
		}
		c.Next()
	}, nil
}
