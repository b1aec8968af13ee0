package httperr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
)

func TestClassify(t *testing.T) {
	field := &profiles.FieldError{Entity: "participant", Field: "email", Value: "x", Reason: "not an address"}
	tests := []struct {
		name   string
		err    error
		want   int
		field  string
		public bool
	}{
		{"field error", fmt.Errorf("saving: %w", field), 422, "email", true},
		{"line error names its column", &profiles.LineError{File: "a.csv", Line: 3, Column: "country", Err: profiles.ErrInvalid}, 422, "country", true},
		{"line error without column names the field", &profiles.LineError{File: "a.csv", Line: 3, Err: field}, 422, "email", true},
		{"dangling reference", &profiles.RefError{Entity: "meeting request", ID: "r1", Field: "to", Err: fmt.Errorf("participant %q: %w", "p9", profiles.ErrNotFound)}, 422, "to", true},
		{"reference that clashes", &profiles.RefError{Field: "to", Err: profiles.ErrConflict}, 409, "", true},
		{"not found", fmt.Errorf("event %q: %w", "x", profiles.ErrNotFound), 404, "", true},
		{"matcher not found", matcher.ErrNotFound, 404, "", true},
		{"conflict", profiles.ErrConflict, 409, "", true},
		{"forbidden", profiles.ErrForbidden, 403, "", true},
		{"forbidden field", &ForbiddenField{Field: "organization_id", Err: profiles.ErrForbidden}, 403, "organization_id", true},
		{"invalid", profiles.ErrInvalid, 422, "", true},
		{"bad search", fmt.Errorf("q: %w", index.ErrInvalid), 422, "", true},
		{"bad schedule", scheduler.ErrInvalidProblem, 422, "", true},
		// The text says "not found" and "field x:", yet no sentinel: internal.
		{"text never decides", errors.New(`meeting request "r": field to: not found`), 500, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(tt.err)
			if got.Status != tt.want || got.Field != tt.field || got.Public != tt.public {
				t.Errorf("Classify(%v) = %+v, want status %d field %q public %v", tt.err, got, tt.want, tt.field, tt.public)
			}
			if got.Status == 0 || http.StatusText(got.Status) == "" {
				t.Errorf("status %d is not an HTTP status", got.Status)
			}
		})
	}
}
