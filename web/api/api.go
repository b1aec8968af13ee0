package api

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// API is the JSON API of one engine; Register puts its routes on a router.
type API struct {
	engine *matchgrid.Engine
	store  *profiles.Store
	log    *slog.Logger
	// sendLimit limits meeting requests sent per participant; the pages
	// share it, so that a form is no way around it.
	sendLimit   *auth.Limiter
	editLimit   *auth.Limiter
	corsOrigins []string
	sessions    *auth.Sessions
	brief       briefCache // encoded brief suggestions (suggestcache.go)
}

// Config is what the API needs besides the engine.
type Config struct {
	Log *slog.Logger
	// SendLimit limits meeting requests per participant (shared with the pages).
	SendLimit *auth.Limiter
	// EditLimit limits creating and editing opportunities and profiles per
	// participant (shared with the pages); nil means no limit.
	EditLimit *auth.Limiter
	// CORSOrigins may call the API from browser scripts on another origin.
	CORSOrigins []string
	// Sessions signs the widget tokens the API issues.
	Sessions *auth.Sessions
}

// New returns the API of eng.
func New(eng *matchgrid.Engine, cfg Config) *API {
	return &API{engine: eng, store: eng.Store(), log: cfg.Log, sendLimit: cfg.SendLimit, editLimit: cfg.EditLimit, corsOrigins: cfg.CORSOrigins, sessions: cfg.Sessions}
}

// apiProblem answers err as a problem document, with the status and field
// of httperr's table. Unexpected errors are logged and answered 500
// without detail.
func (s *API) apiProblem(c *gin.Context, err error) {
	class := httperr.Classify(err)
	if !class.Public {
		s.log.Error("api", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		httperr.Write(c, class.Status, "internal error", "")
		return
	}
	httperr.Write(c, class.Status, err.Error(), class.Field)
}

// errNotYours is the error of a participant acting on another's entity.
func errNotYours(entity, id string) error {
	return fmt.Errorf("%s %q is not yours: %w", entity, id, profiles.ErrForbidden)
}

// notFound answers a path that matches no API route.
func notFound(c *gin.Context) { httperr.Write(c, http.StatusNotFound, "no such endpoint", "") }
