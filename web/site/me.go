package site

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// The participant's own area: /e/:event/me and the forms that change their
// profile, their organization's profile and their opportunities. Every
// handler here acts on viewerOf(c).Participant; an opportunity named in the
// URL must be theirs.

// formChoices are the fixed value lists the edit forms offer.
type formChoices struct {
	OrgKinds     []profiles.OrgKind
	OppKinds     []profiles.OpportunityKind
	ProfileTypes []profiles.ProfileType
	Stages       []string
	IPR          []string
	Languages    []string
}

var formChoiceLists = formChoices{
	OrgKinds: profiles.OrgKinds, OppKinds: profiles.OpportunityKinds, ProfileTypes: profiles.ProfileTypes,
	Stages: profiles.Stages, IPR: profiles.IPRStatuses, Languages: index.Languages,
}

// mePageData is the participant's own page.
type mePageData struct {
	Me            *profiles.Participant
	Org           profiles.Organization
	Descriptions  []descriptionText
	Opportunities []profiles.Opportunity
	Choices       formChoices
	// WidgetURL is the participant's read-only widget address, if issued.
	WidgetURL string
	HasLogo   bool // the organization has a logo
}

// mePage is GET /e/:event/me.
func (s *Site) mePage(c *gin.Context) {
	v := auth.ViewerOf(c)
	d := mePageData{Choices: formChoiceLists}
	var ev *profiles.Event
	err := s.store.View(func(tx *profiles.Tx) error {
		var err error
		if ev, err = tx.Event(v.Event); err != nil {
			return err
		}
		me, err := tx.Participant(v.Event, v.Participant)
		if err != nil {
			return err
		}
		d.Me = me
		d.Me.SecretHash = "" // never rendered, not even to its owner
		org, err := tx.Organization(v.Event, me.OrganizationID)
		if err != nil {
			return err
		}
		d.Org, d.HasLogo = *org, hasLogo(tx, v.Event, org.ID)
		d.Opportunities, err = tx.OpportunitiesOfParticipant(v.Event, me.ID)
		return err
	})
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	for lang, text := range d.Org.Descriptions {
		d.Descriptions = append(d.Descriptions, descriptionText{lang, text})
	}
	slices.SortFunc(d.Descriptions, func(a, b descriptionText) int { return cmp.Compare(a.Lang, b.Lang) })
	if path := s.sessions.WidgetPath(v.Event, v.Participant, d.Me.WidgetNonce); path != "" {
		d.WidgetURL = s.baseURL(c) + path
	}
	s.render(c, http.StatusOK, "me", &pageView{Title: "title.profile", Event: ev, Section: "me", Data: d})
}

// formList reads a comma-separated form field as trimmed, non-empty items.
func formList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// formLowerList is formList with the items in lower case (language codes).
func formLowerList(s string) []string {
	out := formList(s)
	for i := range out {
		out[i] = strings.ToLower(out[i])
	}
	return out
}

// saved redirects to the participant's page with a message, or with the
// store's reason when err is set.
func (s *Site) saved(c *gin.Context, err error, ok string) {
	to := eventPath(auth.ViewerOf(c).Event, "/me")
	if errors.Is(err, profiles.ErrNotFound) {
		s.errorPage(c, http.StatusNotFound, s.userMessage(c, err))
		return
	}
	if err != nil {
		s.redirectWith(c, to, "error", s.userMessage(c, err))
		return
	}
	s.redirectWith(c, to, "ok", ok)
}

// updateMyProfile is POST /e/:event/me/profile.
func (s *Site) updateMyProfile(c *gin.Context) {
	v := auth.ViewerOf(c)
	err := s.store.Update(func(tx *profiles.Tx) error {
		me, err := tx.Participant(v.Event, v.Participant)
		if err != nil {
			return err
		}
		me.FirstName = strings.TrimSpace(c.PostForm("first_name"))
		me.LastName = strings.TrimSpace(c.PostForm("last_name"))
		me.JobTitle = strings.TrimSpace(c.PostForm("job_title"))
		me.Languages = formLowerList(c.PostForm("languages"))
		return tx.UpdateParticipant(me)
	})
	s.saved(c, err, s.tr(c, "flash.profile_saved", nil))
}

// updateMyOrganization is POST /e/:event/me/organization: any participant
// of an organization may edit its profile.
func (s *Site) updateMyOrganization(c *gin.Context) {
	v := auth.ViewerOf(c)
	err := s.store.Update(func(tx *profiles.Tx) error {
		me, err := tx.Participant(v.Event, v.Participant)
		if err != nil {
			return err
		}
		org, err := tx.Organization(v.Event, me.OrganizationID)
		if err != nil {
			return err
		}
		org.Name = strings.TrimSpace(c.PostForm("name"))
		org.Kind = profiles.OrgKind(c.PostForm("kind"))
		org.Country = strings.ToUpper(strings.TrimSpace(c.PostForm("country")))
		org.Region = strings.TrimSpace(c.PostForm("region"))
		org.City = strings.TrimSpace(c.PostForm("city"))
		org.Website = strings.TrimSpace(c.PostForm("website"))
		org.Size = strings.TrimSpace(c.PostForm("size"))
		org.Sectors = formList(c.PostForm("sectors"))
		org.Keywords = formList(c.PostForm("keywords"))
		org.Languages = formLowerList(c.PostForm("languages"))
		descs := map[string]string{}
		for lang := range org.Descriptions {
			if text := strings.TrimSpace(c.PostForm("description_" + lang)); text != "" {
				descs[lang] = text
			}
		}
		if text := strings.TrimSpace(c.PostForm("new_description")); text != "" {
			descs[strings.ToLower(strings.TrimSpace(c.PostForm("new_description_lang")))] = text
		}
		org.Descriptions = descs
		return tx.UpdateOrganization(org)
	})
	s.saved(c, err, s.tr(c, "flash.org_saved", nil))
}

// fillOpportunity copies the opportunity form into o.
func fillOpportunity(c *gin.Context, o *profiles.Opportunity) {
	o.Kind = profiles.OpportunityKind(c.PostForm("kind"))
	o.ProfileType = profiles.ProfileType(c.PostForm("profile_type"))
	o.Title = strings.TrimSpace(c.PostForm("title"))
	o.Summary = strings.TrimSpace(c.PostForm("summary"))
	o.Description = strings.TrimSpace(c.PostForm("description"))
	o.Language = strings.ToLower(strings.TrimSpace(c.PostForm("language")))
	o.Keywords = formList(c.PostForm("keywords"))
	o.Stage = c.PostForm("stage")
	o.IPR = c.PostForm("ipr")
	o.PartnerSought.Role = strings.TrimSpace(c.PostForm("partner_role"))
	o.PartnerSought.Kinds = nil
	for _, k := range c.PostFormArray("partner_kinds") {
		o.PartnerSought.Kinds = append(o.PartnerSought.Kinds, profiles.OrgKind(k))
	}
}

// createMyOpportunity is POST /e/:event/me/opportunities.
func (s *Site) createMyOpportunity(c *gin.Context) {
	v := auth.ViewerOf(c)
	var title string
	err := s.store.Update(func(tx *profiles.Tx) error {
		me, err := tx.Participant(v.Event, v.Participant)
		if err != nil {
			return err
		}
		o := &profiles.Opportunity{ID: profiles.NewID("opp"), EventID: v.Event, ParticipantID: me.ID, OrganizationID: me.OrganizationID}
		fillOpportunity(c, o)
		title = o.Title
		return tx.CreateOpportunity(o)
	})
	s.saved(c, err, fmt.Sprintf("Opportunity %q was published.", title))
}

// myOpportunity reads an opportunity of the viewer's; another's is
// reported as not found, so that IDs of others cannot be probed.
func myOpportunity(tx *profiles.Tx, v auth.Viewer, id string) (*profiles.Opportunity, error) {
	o, err := tx.Opportunity(v.Event, id)
	if err != nil {
		return nil, err
	}
	if o.ParticipantID != v.Participant {
		return nil, fmt.Errorf("you have no opportunity %q: %w", id, profiles.ErrNotFound)
	}
	return o, nil
}

// updateMyOpportunity is POST /e/:event/me/opportunities/:opp.
func (s *Site) updateMyOpportunity(c *gin.Context) {
	v := auth.ViewerOf(c)
	err := s.store.Update(func(tx *profiles.Tx) error {
		o, err := myOpportunity(tx, v, c.Param("opp"))
		if err != nil {
			return err
		}
		fillOpportunity(c, o)
		return tx.UpdateOpportunity(o)
	})
	s.saved(c, err, s.tr(c, "flash.opp_saved", nil))
}

// deleteMyOpportunity is POST /e/:event/me/opportunities/:opp/delete.
func (s *Site) deleteMyOpportunity(c *gin.Context) {
	v := auth.ViewerOf(c)
	err := s.store.Update(func(tx *profiles.Tx) error {
		o, err := myOpportunity(tx, v, c.Param("opp"))
		if err != nil {
			return err
		}
		return tx.DeleteOpportunity(v.Event, o.ID)
	})
	s.saved(c, err, s.tr(c, "flash.opp_deleted", nil))
}
