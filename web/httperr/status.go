package httperr

import (
	"errors"
	"net/http"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
	"github.com/matchgrid/matchgrid/sheet"
)

// Class is what an error means to an HTTP client: its status, the field at
// fault (empty when none is known) and whether its text may be shown. The
// text of an internal error (Public false) is logged, never shown.
type Class struct {
	Status int
	Field  string
	Public bool
}

// rule recognizes one kind of error, by type or sentinel, never by text.
type rule struct {
	status int
	// match reports whether err is of the rule's kind and the field it names.
	match func(err error) (field string, ok bool)
}

// is matches errors wrapping one of targets; they name no field.
func is(targets ...error) func(error) (string, bool) {
	return func(err error) (string, bool) {
		for _, t := range targets {
			if errors.Is(err, t) {
				return "", true
			}
		}
		return "", false
	}
}

// rules is the one error-to-status table of the API and the pages, first
// match wins: typed errors that name a field come before the sentinels
// they wrap.
var rules = []rule{
	{http.StatusForbidden, func(err error) (string, bool) {
		var ff *ForbiddenField
		if errors.As(err, &ff) {
			return ff.Field, true
		}
		return "", false
	}},
	{http.StatusUnprocessableEntity, func(err error) (string, bool) {
		var le *profiles.LineError
		if !errors.As(err, &le) {
			return "", false
		}
		var fe *profiles.FieldError
		if le.Column == "" && errors.As(le.Err, &fe) {
			return fe.Field, true
		}
		return le.Column, true
	}},
	{http.StatusUnprocessableEntity, func(err error) (string, bool) {
		var fe *profiles.FieldError
		if errors.As(err, &fe) {
			return fe.Field, true
		}
		return "", false
	}},
	// A field that names something that does not exist: the body is wrong,
	// not the address.
	{http.StatusUnprocessableEntity, func(err error) (string, bool) {
		var re *profiles.RefError
		if errors.As(err, &re) && errors.Is(re.Err, profiles.ErrNotFound) {
			return re.Field, true
		}
		return "", false
	}},
	{http.StatusNotFound, is(profiles.ErrNotFound, matcher.ErrNotFound)},
	{http.StatusConflict, is(profiles.ErrConflict)},
	{http.StatusForbidden, is(profiles.ErrForbidden)},
	{http.StatusUnprocessableEntity, is(profiles.ErrInvalid, index.ErrInvalid, scheduler.ErrInvalidProblem)},
	{http.StatusNotFound, is(matchgrid.ErrUnknownExport)},
	{http.StatusBadRequest, is(sheet.ErrFormat)},
	{http.StatusServiceUnavailable, is(matchgrid.ErrMailOff)},
}

// Classify says what err means to a client: the status of the first rule
// of the table that matches, 500 (not public) for anything else.
func Classify(err error) Class {
	for _, r := range rules {
		if field, ok := r.match(err); ok {
			return Class{Status: r.status, Field: field, Public: true}
		}
	}
	return Class{Status: http.StatusInternalServerError}
}

// ForbiddenField is profiles.ErrForbidden naming the body field the caller
// may not set, such as a participant moving themselves to another
// organization.
type ForbiddenField struct {
	Field string
	Err   error
}

func (e *ForbiddenField) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *ForbiddenField) Unwrap() error { return e.Err }
