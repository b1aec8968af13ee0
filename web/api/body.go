package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// readBody decodes the JSON request body into dst, strictly: the content
// type must be JSON, unknown fields and trailing data are refused. It
// answers the problem itself (naming the field where it can) and reports
// whether decoding worked. With optional, an empty body leaves dst as it is.
func readBody(c *gin.Context, dst any, optional bool) bool {
	if optional && c.Request.ContentLength == 0 && c.GetHeader("Content-Type") == "" {
		return true
	}
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		httperr.Write(c, http.StatusUnsupportedMediaType, "the request body must be JSON (Content-Type: application/json)", "Content-Type")
		return false
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if errors.Is(err, io.EOF) && optional {
		return true
	}
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			err = errors.New("trailing data after the JSON value")
		}
	}
	if err == nil {
		return true
	}
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
		field    string
		detail   string
	)
	status := http.StatusBadRequest
	switch {
	case errors.As(err, &tooLarge):
		status, detail = http.StatusRequestEntityTooLarge, "request body too large"
	case errors.Is(err, io.EOF):
		detail = "the request body is empty; a JSON object is expected"
	case errors.Is(err, io.ErrUnexpectedEOF):
		detail = "the request body is not valid JSON: it ends in the middle of a value"
	case errors.As(err, &syntax):
		detail = fmt.Sprintf("the request body is not valid JSON (at byte %d): %v", syntax.Offset, err)
	case errors.As(err, &typ):
		field = typ.Field
		detail = fmt.Sprintf("field %s: a JSON %s cannot be a %s", typ.Field, typ.Value, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field = strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		detail = fmt.Sprintf("unknown field %q", field)
	default:
		detail = "bad request body: " + err.Error()
	}
	httperr.Write(c, status, detail, field)
	return false
}
