package matcher

import "errors"

// Sentinel errors of the matcher; returned errors wrap them with %w.
var (
	// ErrData means input data (CORDIS files, training samples) cannot be used.
	ErrData = errors.New("unusable data")
	// ErrNotFound means a participant, organization or event is missing.
	ErrNotFound = errors.New("not found")
)
