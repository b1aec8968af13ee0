package web

import "github.com/gin-gonic/gin"

// apiRoutes registers the JSON API under /api/v1.
func (s *Server) apiRoutes(api *gin.RouterGroup) {
	api.GET("/events", s.listEvents)
	api.GET("/events/:event", s.getEvent)
	api.GET("/events/:event/organizations", s.listOrganizations)
	api.GET("/events/:event/participants", requireMember, s.listParticipants)
}
