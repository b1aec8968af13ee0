package site_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/url"
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

// TestSpareTablesOnThePreview: the organizer keeps a spare table from the
// preview form; the setting is saved, the preview prices using it, and a
// number out of range is refused with the event unchanged.
func TestSpareTablesOnThePreview(t *testing.T) {
	t.Parallel()
	ps := servePages(t, web.Config{}, seedSmall) // 3 tables, two accepted requests
	b := ps.browser(t)
	b.signInOrganizer()
	spareOf := func() int {
		var n int
		if err := ps.eng.Store().View(func(tx *profiles.Tx) error {
			ev, err := tx.Event("ev")
			n = ev.SpareTables
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		spare     string
		wantSpare int
		want      []string
	}{
		{"1", 1, []string{`data-testid="spare-tables"`, `data-used="1"`, `id="spare" name="spare" type="number" min="0" max="2" value="1"`}},
		{"3", 1, []string{`class="flash`, "spare_tables"}},
		{"many", 1, []string{`class="flash`, `&#34;many&#34;`}},
		{"0", 0, []string{`value="0"`}},
	}
	for _, tt := range tests {
		page := b.follow(b.post("/organizer/e/ev/grid/preview", url.Values{"budget": {"2"}, "spare": {tt.spare}}))
		for _, w := range tt.want {
			if !strings.Contains(page.body, w) {
				t.Errorf("spare %s: the grid page lacks %q", tt.spare, w)
			}
		}
		if got := spareOf(); got != tt.wantSpare {
			t.Errorf("spare %s: the event keeps %d spare tables, want %d", tt.spare, got, tt.wantSpare)
		}
		if tt.spare == "0" && strings.Contains(page.body, `data-testid="spare-tables"`) {
			t.Errorf("without spare tables the preview still prices them")
		}
	}
}
