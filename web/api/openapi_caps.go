package api

import (
	"fmt"
	"reflect"

	"github.com/matchgrid/matchgrid/profiles"
)

// cappedTypes says which domain entity's text caps (profiles.TextCap)
// apply to the fields of a body type, and under which field path prefix,
// so that the document states the same caps as validation.
var cappedTypes = map[reflect.Type]struct{ entity, prefix string }{
	reflect.TypeFor[profiles.Event]():         {"event", ""},
	reflect.TypeFor[profiles.Session]():       {"event", "days.sessions."},
	reflect.TypeFor[profiles.Break]():         {"event", "days.breaks."},
	reflect.TypeFor[profiles.Organization]():  {"organization", ""},
	reflect.TypeFor[profiles.ProjectRef]():    {"organization", "projects."},
	reflect.TypeFor[profiles.Participant]():   {"participant", ""},
	reflect.TypeFor[ParticipantInput]():       {"participant", ""},
	reflect.TypeFor[ParticipantView]():        {"participant", ""},
	reflect.TypeFor[profiles.Opportunity]():   {"opportunity", ""},
	reflect.TypeFor[profiles.PartnerSought](): {"opportunity", "partner_sought."},
	reflect.TypeFor[SendRequestInput]():       {"meeting request", ""},
}

// withCap adds the cap of field name of struct t to its schema: maxLength
// on a string, on the items of a list (with maxItems) or on the values of
// a map (with maxProperties), and whether line breaks are allowed.
func withCap(t reflect.Type, name string, schema map[string]any) map[string]any {
	c, ok := cappedTypes[t]
	if !ok {
		return schema
	}
	rule, ok := profiles.TextCap(c.entity, c.prefix+name)
	if !ok {
		return schema
	}
	text := map[string]any{"type": "string", "maxLength": rule.Max}
	text["description"] = fmt.Sprintf("one line, at most %d characters, no control characters", rule.Max)
	if rule.Multiline {
		text["description"] = fmt.Sprintf("at most %d characters; line breaks and tabs allowed, no other control characters", rule.Max)
	}
	switch schema["type"] {
	case "string":
		return text
	case "array":
		return map[string]any{"type": "array", "items": text, "maxItems": profiles.CapItems}
	case "object":
		return map[string]any{"type": "object", "additionalProperties": text, "maxProperties": profiles.CapItems}
	}
	return schema
}
