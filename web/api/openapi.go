package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// The OpenAPI 3.1 document is built from the same route records that
// apiRoutes registers, and the schemas from the Go types the handlers
// read and write (by reflection over their JSON tags), so the document
// follows the code. TestOpenAPIMatchesRoutes checks the routes both ways.

// pathParamDocs describes the path parameters.
var pathParamDocs = map[string]string{
	"event":       "event ID",
	"org":         "organization ID",
	"participant": "participant ID",
	"opp":         "opportunity ID",
	"request":     "meeting request ID",
	"meeting":     "meeting ID",
}

// accessDocs tells each access level in words.
var accessDocs = map[access]string{
	accessAnyone:    "anyone, signed in or not",
	accessMember:    "the organizer and participants of the event",
	accessSelf:      "the organizer and the participant themselves",
	accessOrganizer: "the organizer",
}

// enums lists the values of the string types that have a fixed set.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[profiles.ParticipationType](): stringsOf(profiles.ParticipationTypes),
	reflect.TypeFor[profiles.OrgKind]():           stringsOf(profiles.OrgKinds),
	reflect.TypeFor[profiles.OpportunityKind]():   stringsOf(profiles.OpportunityKinds),
	reflect.TypeFor[profiles.ProfileType]():       append([]string{""}, stringsOf(profiles.ProfileTypes)...),
	reflect.TypeFor[profiles.RequestStatus]():     stringsOf(profiles.RequestStatuses),
	reflect.TypeFor[profiles.MeetingStatus]():     stringsOf(profiles.MeetingStatuses),
}

func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// openAPIDocument returns the OpenAPI document of routes.
func openAPIDocument(routes []apiRoute) map[string]any {
	g := &schemaGen{schemas: map[string]any{}, names: map[string]reflect.Type{}}
	problemRef := g.ref(reflect.TypeFor[httperr.Problem]())
	problemContent := map[string]any{"application/problem+json": map[string]any{"schema": problemRef}}
	paths := map[string]any{}
	for _, rt := range routes {
		path := openAPIPath(rt.path)
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[strings.ToLower(rt.method)] = g.operation(rt, problemContent)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "matchgrid API",
			"version": "1",
			"description": "B2B matchmaking for brokerage events: events, organizations, participants, opportunities, " +
				"marketplace search, partner suggestions, meeting requests, the meeting grid and agendas. " +
				"Errors are RFC 9457 problem details naming the field at fault. Request bodies are JSON; unknown fields are refused.",
		},
		"servers": []any{map[string]any{"url": "/api/v1"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.schemas,
			"securitySchemes": map[string]any{
				"cookieAuth": map[string]any{"type": "apiKey", "in": "cookie", "name": auth.SessionCookie,
					"description": "session cookie set by POST /login (organizer) or by opening a personal link GET /e/{event}/link?key=SECRET (participant)"},
				"bearerAuth": map[string]any{"type": "http", "scheme": "bearer",
					"description": "the organizer's secret, or a participant's personal-link secret"},
			},
		},
	}
}

// openAPIPath turns a gin path (":event") into an OpenAPI one ("{event}").
func openAPIPath(ginPath string) string {
	parts := strings.Split(ginPath, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// operation describes one route.
func (g *schemaGen) operation(rt apiRoute, problemContent map[string]any) map[string]any {
	who := rt.who
	if who == "" {
		who = accessDocs[rt.access]
	}
	op := map[string]any{
		"operationId": operationID(rt.method, rt.path),
		"summary":     rt.summary,
		"description": "Who may call it: " + who + ".",
		"tags":        []string{rt.tag},
	}
	security := []any{map[string]any{"cookieAuth": []string{}}, map[string]any{"bearerAuth": []string{}}}
	if rt.access == accessAnyone {
		security = append([]any{map[string]any{}}, security...)
	}
	op["security"] = security
	var params []any
	for _, seg := range strings.Split(rt.path, "/") {
		if name, ok := strings.CutPrefix(seg, ":"); ok {
			params = append(params, map[string]any{"name": name, "in": "path", "required": true,
				"description": pathParamDocs[name], "schema": map[string]any{"type": "string"}})
		}
	}
	for _, q := range rt.query {
		params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.doc, "schema": map[string]any{"type": q.typ}})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if rt.body != nil {
		media := map[string]any{"schema": g.body(reflect.TypeOf(rt.body))}
		if rt.example != "" {
			var ex any
			if err := json.Unmarshal([]byte(rt.example), &ex); err != nil {
				panic("api: the example of " + rt.method + " " + rt.path + " is not JSON: " + err.Error()) // a literal in routes.go
			}
			media["example"] = ex
		}
		op["requestBody"] = map[string]any{"required": !rt.bodyOptional, "content": map[string]any{"application/json": media}}
	}
	ok := map[string]any{"description": http.StatusText(rt.status)}
	switch {
	case rt.media != "":
		ok["content"] = map[string]any{rt.media: map[string]any{"schema": map[string]any{"type": "string"}}}
	case rt.resp != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.of(reflect.TypeOf(rt.resp))}}
	}
	responses := map[string]any{fmt.Sprint(rt.status): ok}
	problems := map[int]string{404: "the event or entity does not exist", 400: "a bad query parameter or body"}
	if rt.access != accessAnyone {
		problems[401] = "not signed in"
		problems[403] = "signed in as someone who may not do this"
	}
	if rt.body != nil {
		problems[415] = "the body is not JSON"
		problems[422] = "a field of the body is invalid (see the problem's field)"
	}
	if rt.method != http.MethodGet {
		problems[409] = "the change clashes with the stored state"
	}
	if rt.path == "/events/:event/participants/:participant/requests" && rt.method == http.MethodPost {
		problems[429] = "too many requests sent in a short time"
	}
	for status, desc := range problems {
		responses[fmt.Sprint(status)] = map[string]any{"description": desc, "content": problemContent}
	}
	if rt.path == "/openapi.json" {
		responses = map[string]any{"200": ok}
	}
	op["responses"] = responses
	return op
}

// operationID names an operation after its method and path:
// "get_events_event_participants".
func operationID(method, path string) string {
	id := strings.ToLower(method)
	for _, seg := range strings.Split(path, "/") {
		seg = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return '_'
		}, strings.TrimPrefix(seg, ":"))
		if seg != "" {
			id += "_" + seg
		}
	}
	return id
}

// schemaGen builds JSON schemas of Go types, naming structs in components.
type schemaGen struct {
	schemas map[string]any
	names   map[string]reflect.Type // component name -> the type it stands for
}

var timeType = reflect.TypeFor[time.Time]()

// of returns the schema of t: a $ref for named structs, inline otherwise.
func (g *schemaGen) of(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		return g.of(t.Elem())
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if values, ok := enums[t]; ok {
		return map[string]any{"type": "string", "enum": values}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		return g.ref(t)
	}
	return map[string]any{} // any value
}

// serverAssigned are the fields a request body may leave out because the
// server sets them: the IDs it generates or takes from the address, and,
// for opportunities, the owner's organization (and the owner, for a
// participant publishing their own).
var serverAssigned = map[string]bool{"id": true, "event_id": true, "created_at": true, "updated_at": true}

// serverAssignedOf adds the fields a body of type t may leave out besides.
var serverAssignedOf = map[reflect.Type][]string{
	reflect.TypeFor[profiles.Opportunity](): {"organization_id", "participant_id"},
}

// body returns the schema of a request body of type t: for a struct, a
// component "<Name>Body" that is its schema without the server-assigned
// fields among the required ones.
func (g *schemaGen) body(t reflect.Type) map[string]any {
	if t.Kind() != reflect.Struct {
		return g.of(t)
	}
	g.ref(t) // registers the type's name (bodies of two packages' types stay apart)
	name := g.nameOf(t) + "Body"
	if _, done := g.schemas[name]; done {
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	obj := g.object(t)
	if req, ok := obj["required"].([]string); ok {
		keep := req[:0:0]
		for _, f := range req {
			if !serverAssigned[f] && !slices.Contains(serverAssignedOf[t], f) {
				keep = append(keep, f)
			}
		}
		if len(keep) > 0 {
			obj["required"] = keep
		} else {
			delete(obj, "required")
		}
	}
	g.schemas[name] = obj
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// ref registers the struct t in components and returns a reference to it.
func (g *schemaGen) ref(t reflect.Type) map[string]any {
	name := g.nameOf(t)
	if _, done := g.names[name]; !done {
		g.names[name] = t
		g.schemas[name] = map[string]any{} // placeholder: a type that refers to itself stops here
		g.schemas[name] = g.object(t)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// nameOf is the component name of a struct type: its Go name (generic
// lists become "List_Event"), prefixed with its package when two packages
// use the same name.
func (g *schemaGen) nameOf(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		arg := strings.TrimSuffix(name[i+1:], "]")
		arg = arg[strings.LastIndexAny(arg, "./")+1:]
		name = name[:i] + "_" + strings.ToUpper(arg[:1]) + arg[1:]
	}
	name = strings.ToUpper(name[:1]) + name[1:]
	if other, taken := g.names[name]; taken && other != t {
		pkg := t.PkgPath()
		pkg = pkg[strings.LastIndexByte(pkg, '/')+1:]
		name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
	}
	return name
}

// object is the schema of a struct's JSON encoding: its tagged fields,
// embedded structs flattened, omitempty fields optional.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, props, &required)
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			g.fields(f.Type, props, required)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = withCap(t, name, g.of(f.Type))
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// serveOpenAPI returns the handler of GET /api/v1/openapi.json for doc.
func serveOpenAPI(doc map[string]any) gin.HandlerFunc {
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic("web: the OpenAPI document does not encode: " + err.Error()) // maps of strings and slices always encode
	}
	return func(c *gin.Context) {
		c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	}
}
