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
	// Format and Args are Reason before formatting (Reason is
	// fmt.Sprintf(Format, Args...)), so that pages can say it in the
	// reader's language: Format is the key of the translations.
	Format string
	Args   []any
}

// NewFieldError returns the FieldError of entity id's field with value,
// its Reason formatted from format and args (kept for translations).
func NewFieldError(entity, id, field string, value any, format string, args ...any) *FieldError {
	return &FieldError{Entity: entity, ID: id, Field: field, Value: value,
		Reason: fmt.Sprintf(format, args...), Format: format, Args: args}
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
	return NewFieldError(entity, id, field, value, format, args...)
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

// RefError is a field whose value names another entity that cannot be
// used, most often one that does not exist (the cause wraps ErrNotFound).
// It wraps the cause.
type RefError struct {
	Entity string // "meeting request", ...; empty when the message names it
	ID     string // ID of the entity, when it has one
	Field  string // JSON name of the referencing field
	Err    error
}

func (e *RefError) Error() string {
	switch {
	case e.Entity == "":
		return fmt.Sprintf("field %s: %v", e.Field, e.Err)
	case e.ID == "":
		return fmt.Sprintf("%s: field %s: %v", e.Entity, e.Field, e.Err)
	}
	return fmt.Sprintf("%s %q: field %s: %v", e.Entity, e.ID, e.Field, e.Err)
}

// Unwrap returns the cause.
func (e *RefError) Unwrap() error { return e.Err }

// OpenRequestError refuses a meeting request between two participants who
// already have an open (pending or accepted) one, in either direction. It
// wraps ErrConflict; Existing says which request, who sent it and its state.
type OpenRequestError struct {
	Request  string         // ID of the refused request
	Existing MeetingRequest // the open request of the pair
}

func (e *OpenRequestError) Error() string {
	return fmt.Sprintf("meeting request %q: %s and %s already have %s request %q: %v",
		e.Request, e.Existing.From, e.Existing.To, e.Existing.Status, e.Existing.ID, ErrConflict)
}

// Unwrap makes errors.Is(err, ErrConflict) hold.
func (e *OpenRequestError) Unwrap() error { return ErrConflict }

// PendingLimitError refuses a request beyond the event's cap on a
// participant's pending outgoing requests. It wraps ErrConflict.
type PendingLimitError struct {
	Participant string
	Pending     int // pending requests the participant has
	Limit       int // what the event allows
}

func (e *PendingLimitError) Error() string {
	return fmt.Sprintf("participant %q already has %d pending requests, the event allows %d: wait for answers or withdraw one: %v",
		e.Participant, e.Pending, e.Limit, ErrConflict)
}

// Unwrap makes errors.Is(err, ErrConflict) hold.
func (e *PendingLimitError) Unwrap() error { return ErrConflict }
