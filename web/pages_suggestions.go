package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
)

// suggestionsShown is how many partners the suggestions page lists.
const suggestionsShown = 20

// directionView explains one direction of a fit in words: the features
// that pushed the score up, strongest first, and the matched words.
type directionView struct {
	Score   float64
	Reasons []string
	Needs   []string // words of the needs that matched the other's offers
	Profile []string // words of the profile that matched the other's profile
}

// maxReasons and maxTerms keep an explanation readable.
const (
	maxReasons = 4
	maxTerms   = matcher.MaxTerms
)

func explainDirection(d *matcher.Direction) directionView {
	return directionView{Score: d.Score, Reasons: firstItems(d.Sentences, maxReasons),
		Needs: firstItems(d.Terms["needs"], maxTerms), Profile: firstItems(d.Terms["profile"], maxTerms)}
}

func firstItems(s []string, n int) []string { return s[:min(n, len(s))] }

// suggestionView is one suggested partner as the pages show it.
type suggestionView struct {
	ParticipantID string
	Name          string
	JobTitle      string
	Org           profiles.Organization
	Score         float64
	Fit           string // mutual-fit band, relative to the best suggestion (matcher.FitScale)
	FitPercent    int
	Known         string        // "You worked together in ..." for a known partner
	TheyFitYou    directionView // forward: how well they fit what you look for
	YouFitThem    directionView // backward: how well you fit what they look for
	// Request is the state of an open request between the two, if any
	// ("pending" or "accepted"); the page then shows it instead of a form.
	Request profiles.RequestStatus
	Sent    bool // the open request is the viewer's
}

// suggestionsFor ranks partners for participant me and reads what the
// pages show of each.
func (s *site) suggestionsFor(eventID, me string, k int, newOnly bool) ([]suggestionView, error) {
	m, err := s.engine.Matcher()
	if err != nil {
		return nil, err
	}
	sugs, err := m.SuggestWith(eventID, me, k, matcher.SuggestOptions{HideKnownPartners: newOnly})
	if err != nil {
		return nil, err
	}
	views := make([]suggestionView, 0, len(sugs))
	err = s.store.View(func(tx *profiles.Tx) error {
		open, err := openRequests(tx, eventID, me)
		if err != nil {
			return err
		}
		for i := range sugs {
			sg := &sugs[i]
			p, err := tx.Participant(eventID, sg.ParticipantID)
			if errors.Is(err, profiles.ErrNotFound) {
				continue // deleted since the matcher read the event
			} else if err != nil {
				return err
			}
			org, err := tx.Organization(eventID, p.OrganizationID)
			if err != nil {
				return err
			}
			sv := suggestionView{ParticipantID: p.ID, Name: p.Name(), JobTitle: p.JobTitle, Org: *org, Score: sg.Score,
				Fit: sg.Fit, FitPercent: sg.FitPercent, Known: sg.Known,
				TheyFitYou: explainDirection(&sg.Forward), YouFitThem: explainDirection(&sg.Backward)}
			if r, ok := open[p.ID]; ok {
				sv.Request, sv.Sent = r.Status, r.From == me
			}
			views = append(views, sv)
		}
		return nil
	})
	return views, err
}

// openRequests maps each partner with whom participant me has a pending or
// accepted request, in either direction, to that request.
func openRequests(tx *profiles.Tx, eventID, me string) (map[string]profiles.MeetingRequest, error) {
	from, err := tx.RequestsFrom(eventID, me)
	if err != nil {
		return nil, err
	}
	to, err := tx.RequestsTo(eventID, me)
	if err != nil {
		return nil, err
	}
	open := map[string]profiles.MeetingRequest{}
	for _, r := range append(from, to...) {
		if r.Status == profiles.RequestPending || r.Status == profiles.RequestAccepted {
			other := r.To
			if other == me {
				other = r.From
			}
			open[other] = r
		}
	}
	return open, nil
}

// suggestionsPage is GET /e/:event/me/suggestions: suggested partners with
// the two-way explanation and a request form.
func (s *site) suggestionsPage(c *gin.Context) {
	v := viewerOf(c)
	ev, err := s.loadEvent(v.Event)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	newOnly := c.Query("new") == "1"
	views, err := s.suggestionsFor(v.Event, v.Participant, suggestionsShown, newOnly)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.render(c, http.StatusOK, "suggestions", &pageView{Title: "Suggested partners", Event: ev, Section: "suggestions", Data: struct {
		Suggestions []suggestionView
		Back        string
		NewOnly     bool
		FitScale    string
	}{views, c.Request.URL.Path, newOnly, matcher.FitScale}})
}
