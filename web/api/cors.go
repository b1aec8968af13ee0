package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// cors answers cross-origin requests to the API from browser scripts on
// other origins (an embedding portal) as Config.CORSOrigins allows:
//
//   - a listed origin gets its own origin back with credentials allowed,
//     so a portal's script may call the API with the visitor's session
//     cookie or a Bearer token, for every method;
//   - "*" lets any other origin read (GET) without credentials: browsers
//     never send cookies with "*", and no Authorization header is allowed;
//   - any other origin gets no CORS headers, so its browser hides the answer.
//
// Same-origin requests carry an Origin header too (on POST); they pass
// untouched whatever the list.
type cors struct {
	origins map[string]bool // normalized listed origins
	any     bool            // "*" was listed
}

// corsMaxAge is how long (seconds) a browser may cache a preflight answer.
const corsMaxAge = "600"

func newCORS(list []string) *cors {
	co := &cors{origins: map[string]bool{}}
	for _, o := range list {
		if o = strings.TrimSpace(o); o == "*" {
			co.any = true
		} else if o != "" {
			co.origins[normalizeOrigin(o)] = true
		}
	}
	return co
}

// normalizeOrigin lower-cases scheme and host and drops a trailing slash,
// so that "https://Portal.example.org/" matches the browser's
// "https://portal.example.org".
func normalizeOrigin(o string) string {
	u, err := url.Parse(strings.TrimSuffix(o, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return strings.ToLower(o)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// handle is the middleware of the API group.
func (co *cors) handle(c *gin.Context) {
	origin := c.GetHeader("Origin")
	preflight := c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != ""
	if len(co.origins) > 0 || co.any {
		c.Writer.Header().Add("Vary", "Origin")
	}
	if origin == "" {
		c.Next()
		return
	}
	h := c.Writer.Header()
	var methods, headers string
	switch {
	case co.origins[normalizeOrigin(origin)]:
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		methods, headers = "GET, POST, PUT, DELETE", "Authorization, Content-Type"
	case co.any:
		h.Set("Access-Control-Allow-Origin", "*")
		methods, headers = "GET", "Content-Type"
	default:
		if preflight {
			httperr.Write(c, http.StatusForbidden, "origin "+origin+" may not call this API from a browser", "Origin")
			return
		}
		c.Next()
		return
	}
	h.Set("Access-Control-Expose-Headers", "Location, Retry-After, WWW-Authenticate")
	if preflight {
		h.Set("Access-Control-Allow-Methods", methods)
		h.Set("Access-Control-Allow-Headers", headers)
		h.Set("Access-Control-Max-Age", corsMaxAge)
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}

// CredentialOrigins returns the origins of list that are granted
// credentials (all but "*"), normalized as the browser sends them: the
// origins the CSRF check must trust for state-changing API calls.
func CredentialOrigins(list []string) []string {
	var out []string
	for origin := range newCORS(list).origins {
		out = append(out, origin)
	}
	slices.Sort(out)
	return out
}
