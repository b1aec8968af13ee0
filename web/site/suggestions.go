package site

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// directionView explains one direction of a fit in words: the features
// that pushed the score up, strongest first, and the matched words.
type directionView struct {
	Score   float64
	Reasons []matcher.Reason // said in the page's language (template func why)
	Needs   []string         // words of the needs that matched the other's offers
	Profile []string         // words of the profile that matched the other's profile
}

// maxReasons and maxTerms keep an explanation readable.
const (
	maxReasons = 4
	maxTerms   = matcher.MaxTerms
)

func explainDirection(d *matcher.Direction) directionView {
	return directionView{Score: d.Score, Reasons: firstItems(d.Reasons, maxReasons),
		Needs: firstItems(d.Terms["needs"], maxTerms), Profile: firstItems(d.Terms["profile"], maxTerms)}
}

func firstItems[T any](s []T, n int) []T { return s[:min(n, len(s))] }

// suggestionView is one suggested partner as the pages show it.
type suggestionView struct {
	ParticipantID string
	Name          string
	JobTitle      string
	Org           profiles.Organization
	Score         float64
	FitKey        string // mutual-fit band relative to the best suggestion, as a message key suffix (sug.band.*)
	FitPercent    int
	KnownProjects string        // the projects worked on together, for a known partner
	TheyFitYou    directionView // forward: how well they fit what you look for
	YouFitThem    directionView // backward: how well you fit what they look for
	// State is the open request between the two, if any; the page then
	// shows it instead of a form.
	State   *requestState
	Saved   bool // the viewer bookmarked them
	HasLogo bool // their organization has a logo
}

// suggestionsFor ranks partners for participant me and reads what the
// pages show of each.
func (s *Site) suggestionsFor(eventID, me string, k int, newOnly bool) ([]suggestionView, error) {
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
		mine, err := tx.Participant(eventID, me)
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
				FitKey: strings.ReplaceAll(sg.Fit, " ", "_"), FitPercent: sg.FitPercent, KnownProjects: strings.Join(sg.KnownPartner, ", "),
				TheyFitYou: explainDirection(&sg.Forward), YouFitThem: explainDirection(&sg.Backward)}
			sv.State, sv.Saved = open.with(p.ID), slices.Contains(mine.Saved, p.ID)
			sv.HasLogo = hasLogo(tx, eventID, org.ID)
			views = append(views, sv)
		}
		return nil
	})
	return views, err
}

// requestState is where the viewer stands with another participant: an
// open request between them, its state and who sent it.
type requestState struct {
	Status profiles.RequestStatus // pending or accepted
	Sent   bool                   // the viewer sent it
}

// openSet is the open requests of one participant, by partner.
type openSet struct {
	me      string
	partner map[string]profiles.MeetingRequest
}

// with returns the state of the open request with partner, nil if none.
func (o openSet) with(partner string) *requestState {
	r, ok := o.partner[partner]
	if !ok {
		return nil
	}
	return &requestState{Status: r.Status, Sent: r.From == o.me}
}

// openRequests maps each partner with whom participant me has a pending or
// accepted request, in either direction, to that request.
func openRequests(tx *profiles.Tx, eventID, me string) (openSet, error) {
	from, err := tx.RequestsFrom(eventID, me)
	if err != nil {
		return openSet{}, err
	}
	to, err := tx.RequestsTo(eventID, me)
	if err != nil {
		return openSet{}, err
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
	return openSet{me: me, partner: open}, nil
}

// suggestionsPage is GET /e/:event/me/suggestions: suggested partners with
// the two-way explanation and a request form.
func (s *Site) suggestionsPage(c *gin.Context) {
	v := auth.ViewerOf(c)
	ev, err := s.loadEvent(v.Event)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	newOnly := c.Query("new") == "1"
	views, err := s.suggestionsFor(v.Event, v.Participant, suggestionsOf(ev), newOnly)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	var saved, dismissed []listedPerson
	err = s.store.View(func(tx *profiles.Tx) error {
		me, err := tx.Participant(v.Event, v.Participant)
		if err != nil {
			return err
		}
		open, err := openRequests(tx, v.Event, me.ID)
		if err != nil {
			return err
		}
		if saved, err = listPeople(tx, v.Event, me.Saved, open); err != nil {
			return err
		}
		dismissed, err = listPeople(tx, v.Event, me.Dismissed, open)
		return err
	})
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.render(c, http.StatusOK, "suggestions", &pageView{Title: "title.suggestions", Event: ev, Section: "suggestions", Data: struct {
		Suggestions      []suggestionView
		Saved, Dismissed []listedPerson
		Back             string
		NewOnly          bool
	}{views, saved, dismissed, c.Request.URL.Path, newOnly}})
}

// listedPerson is a saved or dismissed participant as the page lists them.
type listedPerson struct {
	personCard
	Org profiles.Organization
}

// listPeople reads the participants of ids that still exist, with their
// organization and the viewer's open request with them.
func listPeople(tx *profiles.Tx, eventID string, ids []string, open openSet) ([]listedPerson, error) {
	var out []listedPerson
	for _, id := range ids {
		p, err := tx.Participant(eventID, id)
		if errors.Is(err, profiles.ErrNotFound) {
			continue // left the event since
		} else if err != nil {
			return nil, err
		}
		org, err := tx.Organization(eventID, p.OrganizationID)
		if err != nil {
			return nil, err
		}
		pc := personCardOf(p)
		pc.State = open.with(p.ID)
		out = append(out, listedPerson{personCard: pc, Org: *org})
	}
	return out, nil
}
