package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/api"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
	"github.com/matchgrid/matchgrid/web/site"
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
	// CORSOrigins may call the JSON API from browser scripts on another
	// origin (an embedding portal); none by default. "*" allows any origin
	// for anonymous reads only: credentials are never shared with "*".
	CORSOrigins []string
	// SecureCookies marks session cookies Secure even when the request did
	// not arrive over TLS (behind a TLS-terminating proxy).
	SecureCookies bool
}

// Server is the HTTP face of one data directory: the JSON API (package
// api) and the pages (package site) over one sign-in (package auth).
type Server struct {
	engine *matchgrid.Engine
	store  *profiles.Store
	cfg    Config
	log    *slog.Logger
	router *gin.Engine
}

// New builds the server's routes on an open engine. It creates the key that
// signs session cookies on first use.
func New(eng *matchgrid.Engine, cfg Config) (*Server, error) {
	store := eng.Store()
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	sessions, err := auth.NewSessions(store, cfg.SecureCookies)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: trusted proxies: %w", err)
	}
	s := &Server{engine: eng, store: store, cfg: cfg, log: cfg.Logger, router: r}
	// Origins allowed to call the API by CORS may also change state from
	// their scripts; "*" grants anonymous reads only, never that.
	trusted := append(slices.Clone(cfg.TrustedOrigins), api.CredentialOrigins(cfg.CORSOrigins)...)
	csrf, err := crossOriginProtection(trusted)
	if err != nil {
		return nil, fmt.Errorf("web: trusted origins: %w", err)
	}
	r.Use(s.recoverPanics, s.logRequests, securityHeaders(cfg.FrameAncestors, cfg.SecureCookies), limitBodies, csrf, sessions.Authenticate)
	r.GET("/healthz", s.health)
	sendLimit, editLimit := auth.NewLimiter(20, 30*time.Second).InStore(store, "send"), auth.NewEditLimiter().InStore(store, "edit")
	api.New(eng, api.Config{Log: cfg.Logger, SendLimit: sendLimit, EditLimit: editLimit, CORSOrigins: cfg.CORSOrigins, Sessions: sessions}).Register(r.Group("/api/v1"))
	pages, err := site.New(eng, site.Config{Log: cfg.Logger, Sessions: sessions, SendLimit: sendLimit, EditLimit: editLimit})
	if err != nil {
		return nil, err
	}
	if err := pages.Register(r); err != nil {
		return nil, err
	}
	// An unknown API address is a problem document, any other a page.
	r.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			httperr.Write(c, http.StatusNotFound, "no such endpoint", "")
			return
		}
		pages.NotFound(c)
	})
	return s, nil
}

// Routes lists the registered routes (method and gin path), for tests and
// documentation.
func (s *Server) Routes() gin.RoutesInfo { return s.router.Routes() }

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
			httperr.Write(c, http.StatusInternalServerError, "internal error", "")
		}
	}()
	c.Next()
}

func (s *Server) health(c *gin.Context) {
	err := s.store.View(func(tx *profiles.Tx) error { _, err := tx.Events(); return err })
	if err != nil {
		s.log.Error("health check", "err", err)
		httperr.Write(c, http.StatusServiceUnavailable, "store unavailable", "")
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
