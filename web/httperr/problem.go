package httperr

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Field names the parameter or body field at fault (an extension member).
	Field    string `json:"field,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// Write answers a problem details response and stops the handler chain.
func Write(c *gin.Context, status int, detail, field string) {
	// Set first: gin's JSON renderer keeps a content type already set.
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, Problem{
		Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: detail, Field: field, Instance: c.Request.URL.Path,
	})
}
