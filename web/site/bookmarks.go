package site

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// markActions are what a participant may do to another from a suggestion:
// save them for later, dismiss them ("not interested"), or undo either.
var markActions = map[string]struct {
	list  func(p *profiles.Participant) *[]string
	add   bool
	flash string // message ID; its Name is the other's
}{
	"save":      {func(p *profiles.Participant) *[]string { return &p.Saved }, true, "flash.saved_later"},
	"unsave":    {func(p *profiles.Participant) *[]string { return &p.Saved }, false, "flash.unsaved"},
	"dismiss":   {func(p *profiles.Participant) *[]string { return &p.Dismissed }, true, "flash.dismissed"},
	"undismiss": {func(p *profiles.Participant) *[]string { return &p.Dismissed }, false, "flash.undismissed"},
}

// markPerson is POST /e/:event/me/people/:participant/{save,unsave,dismiss,undismiss}:
// the viewer bookmarks another participant, or says they are not interested
// (the matcher then leaves them out of the viewer's suggestions).
func (s *Site) markPerson(c *gin.Context) {
	v := auth.ViewerOf(c)
	back := backTo(c, v.Event, eventPath(v.Event, "/me/suggestions"))
	act, ok := markActions[c.Param("action")]
	other := c.Param("participant")
	if !ok || other == v.Participant {
		s.errorPage(c, http.StatusNotFound, s.tr(c, "error.no_action", nil))
		return
	}
	var name string
	err := s.store.Update(func(tx *profiles.Tx) error {
		o, err := tx.Participant(v.Event, other)
		if err != nil {
			return err
		}
		name = o.Name()
		me, err := tx.Participant(v.Event, v.Participant)
		if err != nil {
			return err
		}
		list := act.list(me)
		has := slices.Contains(*list, other)
		switch {
		case act.add && has, !act.add && !has:
			return nil // already so: a second click changes nothing
		case act.add:
			*list = append(*list, other)
		default:
			*list = slices.DeleteFunc(*list, func(id string) bool { return id == other })
		}
		return tx.UpdateParticipant(me)
	})
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.redirectWith(c, back, "ok", s.tr(c, act.flash, map[string]any{"Name": name}))
}
