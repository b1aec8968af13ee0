package site_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
)

// TestOnlineMeetingsAndLogos: with p-a and p-b online and a video link
// template, their meeting takes no table and sits in the grid's video
// column; an online participant's agenda shows the video link instead of
// a table, an on-site partner's the table and the link; the organizations'
// logos show on the grid, on suggestion cards and in the widget.
func TestOnlineMeetingsAndLogos(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall) // C->A and B->A accepted
	var logo bytes.Buffer
	if err := png.Encode(&logo, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	err := ps.eng.Store().Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event("ev")
		if err != nil {
			return err
		}
		ev.VideoURL = "https://meet.example.org/mg-{meeting}"
		if err := tx.UpdateEvent(ev); err != nil {
			return err
		}
		for _, id := range []string{"p-a", "p-b"} {
			p, err := tx.Participant("ev", id)
			if err != nil {
				return err
			}
			p.Type = profiles.TypeOnline
			if err := tx.UpdateParticipant(p); err != nil {
				return err
			}
		}
		for _, org := range []string{"org-a", "org-b", "org-c"} {
			if err := tx.SetLogo("ev", org, logo.Bytes()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ps.eng.Schedule(context.Background(), "ev", matchgrid.ScheduleOptions{Budget: 100 * time.Millisecond, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	widget := issueWidget(t, ps, "ev", "p-d")
	const link = `href="https://meet.example.org/mg-`
	tests := []struct {
		who, path   string
		links       int
		want, avoid []string
	}{
		{"p-a", "/e/ev/me/agenda", 2, []string{`data-testid="video-link"`}, []string{"<td>T1", "<td>T2", "<td>T3"}},
		{"p-c", "/e/ev/me/agenda", 1, []string{`data-testid="video-link"`, "· <a"}, nil},
		{"p-d", "/e/ev/me/suggestions", 0, []string{`data-testid="suggestion-logo"`}, nil},
		{"anon", widget, 0, []string{`data-testid="widget-logo"`}, nil},
		{"", "/organizer/e/ev/grid?view=published", 2, []string{`data-testid="grid-video"`, `data-table="video"`, `data-testid="grid-logo"`, "(Online)"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.who+tt.path, func(t *testing.T) {
			b := ps.browser(t)
			switch tt.who {
			case "anon":
			case "":
				b.signInOrganizer()
			default:
				b.signInParticipant(ps.eng, "ev", tt.who)
			}
			page := b.get(tt.path).body
			mustContain(t, tt.path, page, tt.want...)
			mustNotContain(t, tt.path, page, tt.avoid...)
			if n := strings.Count(page, link); n != tt.links {
				t.Errorf("%d video links, want %d", n, tt.links)
			}
		})
	}
}
