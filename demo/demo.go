package demo

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"

	"github.com/matchgrid/matchgrid/profiles"
)

//go:embed event.json.gz
var eventFile []byte

// Bundle returns the demo event shipped with matchgrid, decoded from the
// embedded event.json.gz. Every call returns a fresh copy.
//
// Source: CORDIS, European Commission. The organizations, their projects
// and every topic text come from CORDIS Horizon Europe health projects;
// the people, e-mail addresses and meeting requests are invented.
func Bundle() (*profiles.Bundle, error) {
	zr, err := gzip.NewReader(bytes.NewReader(eventFile))
	if err != nil {
		return nil, fmt.Errorf("demo event: %w", err)
	}
	exp, err := profiles.DecodeExport(zr)
	if err != nil {
		return nil, fmt.Errorf("demo event: %w", err)
	}
	if len(exp.Events) != 1 {
		return nil, fmt.Errorf("demo event: file holds %d events, want 1: %w", len(exp.Events), profiles.ErrInvalid)
	}
	return &exp.Events[0], nil
}

// Encode writes bundle as the demo event file: the gzip-compressed JSON
// export holding this one event. The output depends only on the bundle.
func Encode(w io.Writer, bundle *profiles.Bundle) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	exp := &profiles.Export{Format: profiles.BundleFormat, Events: []profiles.Bundle{*bundle}}
	if err := profiles.EncodeExport(zw, exp); err != nil {
		return err
	}
	return zw.Close()
}
