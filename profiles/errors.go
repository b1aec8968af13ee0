package profiles

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns wraps one of them, so
// callers test with errors.Is and still read the full message.
var (
	// ErrNotFound means the entity (or the event it belongs to) does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change clashes with what is stored: a duplicate
	// ID, or a delete that would leave other entities pointing at nothing.
	ErrConflict = errors.New("conflict")
	// ErrInvalid means a value failed validation; see FieldError for which.
	ErrInvalid = errors.New("invalid")
	// ErrForbidden means the participant acting may not do this to this
	// entity: it is not theirs (answering a request sent to someone else).
	ErrForbidden = errors.New("forbidden")
	// ErrClosed means the store was used after Close.
	ErrClosed = errors.New("store closed")
	// ErrChangesPruned means the change log no longer reaches back to the
	// generation asked for: rebuild what was derived from the store.
	ErrChangesPruned = errors.New("change log pruned")
	// ErrUnsupported means the store's engine cannot do this (a file backup
	// of a PostgreSQL store: use pg_dump or the JSON bundle export).
	ErrUnsupported = errors.New("not supported by this store engine")
)

// FieldError names the field and the value that failed validation.
// It wraps ErrInvalid.
type FieldError struct {
	Entity string // "participant", "event", ...
	ID     string // ID of the entity, when it has one
	Field  string // JSON name of the field, dotted for nested fields
	Value  any    // the offending value
	Reason string // what is wrong, e.g. "must be one of sme, startup, ..."
}

func (e *FieldError) Error() string {
	who := e.Entity
	if e.ID != "" {
		who += " " + e.ID
	}
	return fmt.Sprintf("%s: field %s: value %q: %s", who, e.Field, fmt.Sprint(e.Value), e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// fieldErr is a short constructor used by the validators.
func fieldErr(entity, id, field string, value any, format string, args ...any) error {
	return &FieldError{Entity: entity, ID: id, Field: field, Value: value, Reason: fmt.Sprintf(format, args...)}
}

// LineError locates a bad value in an input file: file, line, column and
// value. It wraps the cause (a *FieldError, or ErrInvalid, ErrConflict, ...).
type LineError struct {
	File   string // file name as given
	Line   int    // 1-based line of the record (a CSV record's first line)
	Column string // column name, when known
	Value  string // the offending value, when known
	Err    error
}

func (e *LineError) Error() string {
	msg := fmt.Sprintf("%s:%d", e.File, e.Line)
	if e.Column != "" {
		msg += fmt.Sprintf(": column %q", e.Column)
	}
	if e.Value != "" {
		msg += fmt.Sprintf(": value %q", e.Value)
	}
	return msg + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }
