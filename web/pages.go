package web

import "github.com/gin-gonic/gin"

// pageRoutes registers the server-rendered pages.
func (s *Server) pageRoutes(r *gin.Engine) error {
	return nil
}
