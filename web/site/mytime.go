package site

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// commonZones are offered as suggestions for a participant's own time
// zone; any IANA zone name is accepted.
var commonZones = []string{
	"Europe/Rome", "Europe/London", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Amsterdam",
	"Europe/Brussels", "Europe/Zurich", "Europe/Vienna", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens",
	"Europe/Helsinki", "Europe/Istanbul", "Asia/Jerusalem", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
	"Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Australia/Sydney", "America/New_York", "America/Chicago",
	"America/Denver", "America/Los_Angeles", "America/Toronto", "America/Sao_Paulo", "Africa/Cairo", "Africa/Johannesburg", "UTC",
}

// slotChoice is one meeting slot on the "my time" page.
type slotChoice struct {
	Index      int
	Start, End time.Time // in the event's zone
	Own        string    // "15:00–15:20" in the participant's zone, when it differs
	Busy       bool
}

// timeDay is a day of slots.
type timeDay struct {
	Date  time.Time
	Slots []slotChoice
}

// myTimePageData is the "my time" page.
type myTimePageData struct {
	Days        []timeDay
	MaxMeetings int
	Slots       int // how many slots the event has
	EventZone   string
	OwnZone     string
	Zones       []string
}

// ownZone returns the participant's own time zone when it differs from the
// event's, else nil.
func ownZone(ev *profiles.Event, p *profiles.Participant) *time.Location {
	if p.TimeZone == "" || p.TimeZone == ev.TimeZone {
		return nil
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return nil
	}
	return loc
}

// myTimePage is GET /e/:event/me/time: the slots the participant cannot
// meet in, their maximum number of meetings and their own time zone.
func (s *Site) myTimePage(c *gin.Context) {
	v := auth.ViewerOf(c)
	var (
		ev *profiles.Event
		me *profiles.Participant
	)
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		if ev, err = tx.Event(v.Event); err != nil {
			return err
		}
		me, err = tx.Participant(v.Event, v.Participant)
		return err
	})
	var slots []profiles.Slot
	if err == nil {
		slots, err = ev.Slots()
	}
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d := myTimePageData{MaxMeetings: me.MaxMeetings, Slots: len(slots), EventZone: ev.TimeZone, OwnZone: me.TimeZone, Zones: commonZones}
	own := ownZone(ev, me)
	for _, sl := range slots {
		if n := len(d.Days); n == 0 || d.Days[n-1].Date.YearDay() != sl.Start.YearDay() {
			d.Days = append(d.Days, timeDay{Date: sl.Start})
		}
		ch := slotChoice{Index: sl.Index, Start: sl.Start, End: sl.End, Busy: !me.Available(sl)}
		if own != nil {
			ch.Own = sl.Start.In(own).Format("15:04") + "–" + sl.End.In(own).Format("15:04")
		}
		d.Days[len(d.Days)-1].Slots = append(d.Days[len(d.Days)-1].Slots, ch)
	}
	s.render(c, http.StatusOK, "mytime", &pageView{Title: "title.time", Event: ev, Section: "time", Data: d})
}

// saveMyTime is POST /e/:event/me/time: "busy" (repeated slot indexes),
// "max_meetings" (0 for no limit) and "time_zone".
func (s *Site) saveMyTime(c *gin.Context) {
	v := auth.ViewerOf(c)
	back := eventPath(v.Event, "/me/time")
	maxMeetings, err := strconv.Atoi(strings.TrimSpace(c.DefaultPostForm("max_meetings", "0")))
	if err != nil || maxMeetings < 0 {
		s.redirectWith(c, back, "error", s.tr(c, "flash.max_whole", nil))
		return
	}
	busy := map[int]bool{}
	for _, b := range c.PostFormArray("busy") {
		i, err := strconv.Atoi(b)
		if err != nil {
			s.redirectWith(c, back, "error", fmt.Sprintf("%q is not a slot.", b))
			return
		}
		busy[i] = true
	}
	err = s.store.Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event(v.Event)
		if err != nil {
			return err
		}
		slots, err := ev.Slots()
		if err != nil {
			return err
		}
		me, err := tx.Participant(v.Event, v.Participant)
		if err != nil {
			return err
		}
		if maxMeetings > len(slots) {
			return profiles.NewFieldError("participant", me.ID, "max_meetings", maxMeetings, "the event has %d slots", len(slots))
		}
		me.Unavailable = busyPeriods(slots, busy, time.Duration(ev.GapMinutes)*time.Minute)
		me.MaxMeetings = maxMeetings
		me.TimeZone = strings.TrimSpace(c.PostForm("time_zone"))
		return tx.UpdateParticipant(me)
	})
	if err != nil {
		s.redirectWith(c, back, "error", s.userMessage(c, err))
		return
	}
	s.redirectWith(c, back, "ok", s.tr(c, "flash.time_saved", nil))
}

// busyPeriods turns the busy slots into periods, one per run of slots that
// follow each other (at most gap apart).
func busyPeriods(slots []profiles.Slot, busy map[int]bool, gap time.Duration) []profiles.Period {
	var out []profiles.Period
	for _, sl := range slots {
		if !busy[sl.Index] {
			continue
		}
		if n := len(out); n > 0 && !sl.Start.After(out[n-1].End.Add(gap)) {
			out[n-1].End = sl.End.UTC()
			continue
		}
		out = append(out, profiles.Period{Start: sl.Start.UTC(), End: sl.End.UTC()})
	}
	return out
}
