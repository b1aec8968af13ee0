package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
)

// referencePattern finds the field of a reference that points at nothing in
// the store's messages, e.g. `meeting request "x": field to: participant ...`.
var referencePattern = regexp.MustCompile(`field ([A-Za-z0-9_.\[\]]+):`)

// apiProblem answers err as a problem document: validation errors (422)
// and dangling references in a body (422) name their field; missing
// entities are 404, clashes 409, acting on what is not yours 403.
// Unexpected errors are logged and answered 500 without detail.
func (s *Server) apiProblem(c *gin.Context, err error) {
	var (
		fe *profiles.FieldError
		le *profiles.LineError
		ff *forbiddenField
	)
	switch {
	case errors.As(err, &ff):
		problem(c, http.StatusForbidden, err.Error(), ff.field)
	case errors.As(err, &le):
		field := le.Column
		if errors.As(le.Err, &fe) && field == "" {
			field = fe.Field
		}
		problem(c, http.StatusUnprocessableEntity, err.Error(), field)
	case errors.As(err, &fe):
		problem(c, http.StatusUnprocessableEntity, err.Error(), fe.Field)
	case errors.Is(err, profiles.ErrNotFound) || errors.Is(err, matcher.ErrNotFound):
		if m := referencePattern.FindStringSubmatch(err.Error()); m != nil && c.Request.Method != http.MethodGet {
			// A body named something that does not exist: the body is wrong, not the URL.
			problem(c, http.StatusUnprocessableEntity, err.Error(), m[1])
			return
		}
		problem(c, http.StatusNotFound, err.Error(), "")
	case errors.Is(err, profiles.ErrConflict):
		problem(c, http.StatusConflict, err.Error(), "")
	case errors.Is(err, profiles.ErrForbidden):
		problem(c, http.StatusForbidden, err.Error(), "")
	case errors.Is(err, profiles.ErrInvalid), errors.Is(err, index.ErrInvalid), errors.Is(err, scheduler.ErrInvalidProblem):
		problem(c, http.StatusUnprocessableEntity, err.Error(), "")
	default:
		s.log.Error("api", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		problem(c, http.StatusInternalServerError, "internal error", "")
	}
}

// errNotYours is the error of a participant acting on another's entity.
func errNotYours(entity, id string) error {
	return fmt.Errorf("%s %q is not yours: %w", entity, id, profiles.ErrForbidden)
}

// forbiddenField is ErrForbidden naming the body field the caller may not
// set, such as a participant moving themselves to another organization.
type forbiddenField struct {
	field string
	err   error
}

func (e *forbiddenField) Error() string { return e.err.Error() }
func (e *forbiddenField) Unwrap() error { return e.err }
