package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"golang.org/x/image/draw"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// Logos: PNG or JPEG uploads of at most maxLogoUpload bytes and
// maxLogoPixels pixels, decoded, scaled to fit logoSize and re-encoded as
// PNG, so that what is served is an image the server made, never the
// uploaded bytes.
const (
	maxLogoUpload = 2 << 20
	maxLogoPixels = 25_000_000
	logoSize      = 256
)

// errBadLogo is the error of an upload that is not a usable PNG or JPEG.
var errBadLogo = errors.New("not a PNG or JPEG image")

// reencodeLogo decodes a PNG or JPEG, scales it to fit logoSize × logoSize
// and encodes it as PNG.
func reencodeLogo(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxLogoUpload+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxLogoUpload {
		return nil, fmt.Errorf("%w: larger than %d MiB", errBadLogo, maxLogoUpload>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || (format != "png" && format != "jpeg") {
		return nil, errBadLogo
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxLogoPixels {
		return nil, fmt.Errorf("%w: %d × %d pixels", errBadLogo, cfg.Width, cfg.Height)
	}
	var src image.Image
	if format == "png" {
		src, err = png.Decode(bytes.NewReader(raw))
	} else {
		src, err = jpeg.Decode(bytes.NewReader(raw))
	}
	if err != nil {
		return nil, errBadLogo
	}
	w, h := cfg.Width, cfg.Height
	if scale := float64(logoSize) / float64(max(w, h)); scale < 1 {
		w, h = max(1, int(float64(w)*scale)), max(1, int(float64(h)*scale))
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var out bytes.Buffer
	if err := png.Encode(&out, dst); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// uploadLogo is POST /e/:event/me/logo (multipart, field "logo"): the
// participant's organization's logo; with "remove" set, it is removed.
func (s *Site) uploadLogo(c *gin.Context) {
	v := auth.ViewerOf(c)
	var me *profiles.Participant
	if err := s.store.View(func(tx *profiles.Tx) (err error) { me, err = tx.Participant(v.Event, v.Participant); return err }); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	if c.PostForm("remove") != "" {
		err := s.store.Update(func(tx *profiles.Tx) error { return tx.DeleteLogo(v.Event, me.OrganizationID) })
		s.saved(c, err, s.tr(c, "flash.logo_removed", nil))
		return
	}
	file, err := c.FormFile("logo")
	if err != nil {
		s.redirectWith(c, eventPath(v.Event, "/me"), "error", s.tr(c, "flash.logo_none", nil))
		return
	}
	f, err := file.Open()
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	defer f.Close()
	logo, err := reencodeLogo(f)
	if errors.Is(err, errBadLogo) {
		s.redirectWith(c, eventPath(v.Event, "/me"), "error", s.tr(c, "flash.logo_bad", map[string]any{"Max": maxLogoUpload >> 20}))
		return
	}
	if err == nil {
		err = s.store.Update(func(tx *profiles.Tx) error { return tx.SetLogo(v.Event, me.OrganizationID, logo) })
	}
	s.saved(c, err, s.tr(c, "flash.logo_saved", nil))
}

// logo is GET /e/:event/organizations/:org/logo: the stored PNG, public
// like the profile it belongs to.
func (s *Site) logo(c *gin.Context) {
	var logo []byte
	err := s.store.View(func(tx *profiles.Tx) (err error) { logo, err = tx.Logo(c.Param("event"), c.Param("org")); return err })
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	sum := sha256.Sum256(logo)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "public, max-age=300")
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "image/png", logo)
}

// hasLogo reports whether an organization has a logo.
func hasLogo(tx *profiles.Tx, eventID, orgID string) bool {
	_, err := tx.Logo(eventID, orgID)
	return err == nil
}

// logosOf are the organizations of the meetings' participants that have a
// logo.
func (s *Site) logosOf(eventID string, meetings []matchgrid.GridMeeting) (map[string]bool, error) {
	logos := map[string]bool{}
	err := s.store.View(func(tx *profiles.Tx) error {
		for _, m := range meetings {
			for _, org := range []string{m.A.OrganizationID, m.B.OrganizationID} {
				if _, seen := logos[org]; !seen {
					logos[org] = hasLogo(tx, eventID, org)
				}
			}
		}
		return nil
	})
	return logos, err
}
