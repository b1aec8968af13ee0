package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// BundleFormat identifies the JSON export format and its version.
const BundleFormat = "matchgrid-export/1"

// Export is the JSON file format of `matchgrid export`: one or more events,
// each with everything in it.
type Export struct {
	Format string   `json:"format"`
	Events []Bundle `json:"events"`
}

// Bundle is everything of one event. Its slices are in ID order, so the
// same store always exports to the same bytes.
type Bundle struct {
	Event         Event            `json:"event"`
	Organizations []Organization   `json:"organizations"`
	Participants  []Participant    `json:"participants"`
	Opportunities []Opportunity    `json:"opportunities"`
	Requests      []MeetingRequest `json:"requests"`
	Meetings      []Meeting        `json:"meetings"`
}

// ExportEvent reads the bundle of one event.
func (tx *Tx) ExportEvent(eventID string) (*Bundle, error) {
	ev, err := tx.Event(eventID)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Event: *ev}
	if b.Organizations, err = tx.Organizations(eventID); err != nil {
		return nil, err
	}
	if b.Participants, err = tx.Participants(eventID); err != nil {
		return nil, err
	}
	if b.Opportunities, err = tx.Opportunities(eventID); err != nil {
		return nil, err
	}
	if b.Requests, err = tx.Requests(eventID); err != nil {
		return nil, err
	}
	if b.Meetings, err = tx.Meetings(eventID); err != nil {
		return nil, err
	}
	b.normalize()
	return b, nil
}

// normalize turns nil slices into empty ones so that an exported and a
// re-imported bundle encode alike.
func (b *Bundle) normalize() {
	if b.Organizations == nil {
		b.Organizations = []Organization{}
	}
	if b.Participants == nil {
		b.Participants = []Participant{}
	}
	if b.Opportunities == nil {
		b.Opportunities = []Opportunity{}
	}
	if b.Requests == nil {
		b.Requests = []MeetingRequest{}
	}
	if b.Meetings == nil {
		b.Meetings = []Meeting{}
	}
}

// ImportOptions tunes ImportBundle.
type ImportOptions struct {
	// Replace deletes an existing event of the same ID first; without it an
	// existing event is an ErrConflict.
	Replace bool
	// Progress, when set, is called as entities are written.
	Progress func(done, total int)
}

// ImportBundle writes one event with everything in it. Run it inside
// Store.Update: on error the transaction, and so the whole import, is
// rolled back. The error names the entity and field at fault.
func (tx *Tx) ImportBundle(b *Bundle, opts ImportOptions) error {
	id := b.Event.ID
	exists, err := tx.eventExists(id)
	if err != nil {
		return err
	}
	if exists {
		if !opts.Replace {
			return fmt.Errorf("event %q already exists (import with replace to overwrite it): %w", id, ErrConflict)
		}
		if err := tx.DeleteEvent(id); err != nil {
			return err
		}
	}
	if err := tx.CreateEvent(&b.Event); err != nil {
		return err
	}
	total := len(b.Organizations) + len(b.Participants) + len(b.Opportunities) + len(b.Requests) + len(b.Meetings)
	done := 0
	step := func(what string, i int, err error) error {
		if err != nil {
			return fmt.Errorf("event %q: %s[%d]: %w", id, what, i, err)
		}
		done++
		if opts.Progress != nil && (done%500 == 0 || done == total) {
			opts.Progress(done, total)
		}
		return nil
	}
	for i := range b.Organizations {
		o := b.Organizations[i]
		o.EventID = orDefault(o.EventID, id)
		if err := step("organizations", i, checkEvent(o.EventID, id, tx.CreateOrganization(&o))); err != nil {
			return err
		}
	}
	for i := range b.Participants {
		p := b.Participants[i]
		p.EventID = orDefault(p.EventID, id)
		if err := step("participants", i, checkEvent(p.EventID, id, tx.CreateParticipant(&p))); err != nil {
			return err
		}
	}
	for i := range b.Opportunities {
		o := b.Opportunities[i]
		o.EventID = orDefault(o.EventID, id)
		if err := step("opportunities", i, checkEvent(o.EventID, id, tx.CreateOpportunity(&o))); err != nil {
			return err
		}
	}
	for i := range b.Requests {
		r := b.Requests[i]
		r.EventID = orDefault(r.EventID, id)
		// PutRequest: an import restores states as they were, without life-cycle checks.
		if err := step("requests", i, checkEvent(r.EventID, id, tx.PutRequest(&r))); err != nil {
			return err
		}
	}
	for i := range b.Meetings {
		m := b.Meetings[i]
		m.EventID = orDefault(m.EventID, id)
		if err := step("meetings", i, checkEvent(m.EventID, id, tx.CreateMeeting(&m))); err != nil {
			return err
		}
	}
	return nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// checkEvent turns a write error into a clearer one when the entity claims
// another event than the bundle's.
func checkEvent(entityEvent, bundleEvent string, err error) error {
	if entityEvent != bundleEvent {
		return NewFieldError("bundle", "", "event_id", entityEvent, "differs from the bundle's event %q", bundleEvent)
	}
	return err
}

// maxBundleBytes bounds what DecodeExport reads, so garbage input cannot
// exhaust memory.
const maxBundleBytes = 1 << 30

// DecodeExport reads an export file. It accepts the Export format and a
// bare Bundle (one event). Unknown fields are errors, named with their
// position, so that a typo in a hand-edited file is not silently dropped.
func DecodeExport(r io.Reader) (*Export, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBundleBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > maxBundleBytes {
		return nil, fmt.Errorf("%w: file larger than %d bytes", ErrInvalid, maxBundleBytes)
	}
	var probe struct {
		Format string          `json:"format"`
		Event  json.RawMessage `json:"event"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, jsonError(data, err)
	}
	var exp Export
	switch {
	case probe.Format == BundleFormat:
		if err := decodeStrict(data, &exp); err != nil {
			return nil, err
		}
	case probe.Format == "" && probe.Event != nil:
		var b Bundle
		if err := decodeStrict(data, &b); err != nil {
			return nil, err
		}
		exp = Export{Format: BundleFormat, Events: []Bundle{b}}
	default:
		return nil, fmt.Errorf("%w: field format: value %q: expected %q", ErrInvalid, probe.Format, BundleFormat)
	}
	for i := range exp.Events {
		if exp.Events[i].Event.ID == "" {
			return nil, fmt.Errorf("%w: events[%d].event.id: missing", ErrInvalid, i)
		}
		exp.Events[i].normalize()
	}
	return &exp, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(data, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data after the JSON document", ErrInvalid)
	}
	return nil
}

// jsonError names the line and column of a JSON error when it knows the offset.
func jsonError(data []byte, err error) error {
	var offset int64 = -1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if offset < 0 || offset > int64(len(data)) {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Errorf("%w: line %d, column %d: %w", ErrInvalid, line, col, err)
}

// EncodeExport writes an export as indented JSON, deterministic for a given content.
func EncodeExport(w io.Writer, exp *Export) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	return enc.Encode(exp)
}

// ExportEvents reads the bundles of the given events, or of every event when ids is empty.
func (tx *Tx) ExportEvents(ids ...string) (*Export, error) {
	if len(ids) == 0 {
		events, err := tx.Events()
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			ids = append(ids, e.ID)
		}
	}
	exp := &Export{Format: BundleFormat, Events: []Bundle{}}
	for _, id := range ids {
		b, err := tx.ExportEvent(strings.TrimSpace(id))
		if err != nil {
			return nil, err
		}
		exp.Events = append(exp.Events, *b)
	}
	return exp, nil
}
