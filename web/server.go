package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
)

// Config tunes the server. The zero value is usable.
type Config struct {
	// Logger receives one structured line per request; nil means slog.Default().
	Logger *slog.Logger
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For headers are believed; none by default.
	TrustedProxies []string
	// FrameAncestors are the origins allowed to embed pages in a frame
	// (CSP frame-ancestors), e.g. "https://portal.example.org"; none by default.
	FrameAncestors []string
	// TrustedOrigins may send state-changing browser requests from another
	// origin (e.g. a portal embedding the widget); none by default.
	TrustedOrigins []string
}

// Server is the HTTP face of one data directory.
type Server struct {
	store  *profiles.Store
	log    *slog.Logger
	router *gin.Engine
}

// New builds the server's routes on a store.
func New(store *profiles.Store, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: trusted proxies: %w", err)
	}
	s := &Server{store: store, log: cfg.Logger, router: r}
	csrf, err := crossOriginProtection(cfg.TrustedOrigins)
	if err != nil {
		return nil, fmt.Errorf("web: trusted origins: %w", err)
	}
	r.Use(s.recoverPanics, s.logRequests, securityHeaders(cfg.FrameAncestors), limitBodies, csrf)
	r.NoRoute(func(c *gin.Context) { problem(c, http.StatusNotFound, "no such page or endpoint", "") })
	r.GET("/healthz", s.health)
	api := r.Group("/api/v1")
	api.GET("/events", s.listEvents)
	api.GET("/events/:event", s.getEvent)
	api.GET("/events/:event/organizations", s.listOrganizations)
	api.GET("/events/:event/participants", s.listParticipants)
	return s, nil
}

// Handler returns the server's http.Handler, for tests and for embedding.
func (s *Server) Handler() http.Handler { return s.router }

// Serve answers on ln until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish for up to 10 seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.router,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path), // never the query: it may carry a personal-link secret
		slog.Int("status", c.Writer.Status()),
		slog.Int("bytes", c.Writer.Size()),
		slog.Duration("duration", time.Since(start)),
		slog.String("client", c.ClientIP()),
	)
}

func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic serving request", "path", c.Request.URL.Path, "panic", fmt.Sprint(v))
			problem(c, http.StatusInternalServerError, "internal error", "")
		}
	}()
	c.Next()
}

func (s *Server) health(c *gin.Context) {
	err := s.store.View(func(tx *profiles.Tx) error { _, err := tx.Events(); return err })
	if err != nil {
		s.log.Error("health check", "err", err)
		problem(c, http.StatusServiceUnavailable, "store unavailable", "")
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
