package site

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
)

// organizerEvent is one event on the organizer's start page.
type organizerEvent struct {
	eventSummary
	Organizations, Participants, Requests, Meetings int
}

// organizerEventsPage is GET /organizer: every event with its counts.
func (s *Site) organizerEventsPage(c *gin.Context) {
	var list []organizerEvent
	err := s.store.View(func(tx *profiles.Tx) error {
		events, err := tx.Events()
		if err != nil {
			return err
		}
		for i := range events {
			ev := &events[i]
			oe := organizerEvent{eventSummary: summarizeEvent(ev)}
			counts := []struct {
				n   *int
				get func() (int, error)
			}{
				{&oe.Organizations, func() (int, error) { o, err := tx.Organizations(ev.ID); return len(o), err }},
				{&oe.Participants, func() (int, error) { p, err := tx.Participants(ev.ID); return len(p), err }},
				{&oe.Requests, func() (int, error) { r, err := tx.Requests(ev.ID); return len(r), err }},
				{&oe.Meetings, func() (int, error) {
					ms, err := tx.Meetings(ev.ID)
					n := 0
					for _, m := range ms {
						if m.Status != profiles.MeetingCancelled {
							n++
						}
					}
					return n, err
				}},
			}
			for _, cnt := range counts {
				if *cnt.n, err = cnt.get(); err != nil {
					return err
				}
			}
			list = append(list, oe)
		}
		return nil
	})
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.render(c, http.StatusOK, "organizer_events", &pageView{Title: "title.organizer", Section: "organizer", Data: list})
}

// dashboardData is the organizer's dashboard of one event.
type dashboardData struct {
	Stats  *matchgrid.EventStats
	Charts []svgChart
	// Answered counts the requests the acceptance rate is computed from.
	Accepted, Declined int
	// Who has not opened their personal link yet, and who has no meeting
	// yet (the first few of each; the counts are of all).
	Opened, NotOpened, NoMeeting   int
	NotOpenedFirst, NoMeetingFirst []participantRow
}

// dashboardListed is how many names the dashboard lists per figure.
const dashboardListed = 8

// followUp counts who opened their link and who has a meeting.
func (s *Site) followUp(eventID string, d *dashboardData) error {
	return s.store.View(func(tx *profiles.Tx) error {
		people, err := tx.Participants(eventID)
		if err != nil {
			return err
		}
		meetings, err := tx.Meetings(eventID)
		if err != nil {
			return err
		}
		accepted, err := tx.Requests(eventID)
		if err != nil {
			return err
		}
		has := map[string]bool{}
		for _, m := range meetings {
			if m.Status != profiles.MeetingCancelled {
				has[m.A], has[m.B] = true, true
			}
		}
		for _, r := range accepted {
			if r.Status == profiles.RequestAccepted {
				has[r.From], has[r.To] = true, true
			}
		}
		for _, p := range people {
			row := participantRow{ID: p.ID, Name: p.Name()}
			if p.LinkOpened != nil {
				d.Opened++
			} else {
				d.NotOpened++
				if len(d.NotOpenedFirst) < dashboardListed {
					d.NotOpenedFirst = append(d.NotOpenedFirst, row)
				}
			}
			if !has[p.ID] {
				d.NoMeeting++
				if len(d.NoMeetingFirst) < dashboardListed {
					d.NoMeetingFirst = append(d.NoMeetingFirst, row)
				}
			}
		}
		return nil
	})
}

// maxCountries caps the country chart; the rest are summed as "other".
const maxCountries = 12

// dashboardPage is GET /organizer/e/:event: figures and charts.
func (s *Site) dashboardPage(c *gin.Context) {
	eventID := c.Param("event")
	ev, err := s.loadEvent(eventID)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	st, err := s.engine.Stats(eventID)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d := dashboardData{Stats: st}
	if err := s.followUp(eventID, &d); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	label := s.labeller(c)
	labels, values := countsOf(st.ParticipantsByKind, label)
	d.Charts = append(d.Charts, barChart("chart-kind", s.tr(c, "chart.kind", nil), labels, values, nil))
	country := st.ParticipantsByCountry
	if len(country) > maxCountries {
		rest := matchgrid.Count{Value: label(string(profiles.KindOther))}
		for _, cn := range country[maxCountries-1:] {
			rest.Count += cn.Count
		}
		country = append(country[:maxCountries-1:maxCountries-1], rest)
	}
	labels, values = countsOf(country, nil)
	d.Charts = append(d.Charts, barChart("chart-country", s.tr(c, "chart.country", nil), labels, values, nil))
	labels, values = countsOf(st.RequestsByState, label)
	d.Charts = append(d.Charts, barChart("chart-requests", s.tr(c, "chart.requests", nil), labels, values, func(i int) string {
		return "state-" + st.RequestsByState[i].Value
	}))
	for _, cn := range st.RequestsByState {
		switch profiles.RequestStatus(cn.Value) {
		case profiles.RequestAccepted:
			d.Accepted = cn.Count
		case profiles.RequestDeclined:
			d.Declined = cn.Count
		}
	}
	var (
		slotLabels       []string
		meetings, usePct []int
		useTexts         []string
		firstOfDay       = map[int]bool{}
		prevDay          string
		tables           = max(ev.Tables, 1)
	)
	for i, sl := range st.Slots {
		slotLabels = append(slotLabels, sl.Label)
		meetings = append(meetings, sl.Meetings)
		p := 0
		if sl.TablesAvailable > 0 {
			p = 100 * sl.TablesUsed / sl.TablesAvailable
		}
		usePct = append(usePct, p)
		useTexts = append(useTexts, percent(float64(p)/100)+" ("+s.tr(c, "grid.placed_of", map[string]any{"Done": sl.TablesUsed, "Total": sl.TablesAvailable})+")")
		if day := sl.Start.Format("2006-01-02"); day != prevDay {
			firstOfDay[i], prevDay = true, day
		}
	}
	labelled := func(i int) bool { return firstOfDay[i] }
	d.Charts = append(d.Charts,
		columnChart("chart-slots", s.tr(c, "chart.slots", nil), slotLabels, meetings, tables, nil, labelled),
		columnChart("chart-tables", s.tr(c, "chart.tables", nil), slotLabels, usePct, 100, useTexts, labelled))
	s.render(c, http.StatusOK, "dashboard", &pageView{Title: s.tr(c, "dash.h", nil) + " – " + ev.Name, Event: ev, Section: "dashboard", Data: d})
}

// countsOf splits counts into labels and values; label names a value (nil:
// the value itself).
func countsOf(counts []matchgrid.Count, label func(string) string) ([]string, []int) {
	labels, values := make([]string, len(counts)), make([]int, len(counts))
	for i, cn := range counts {
		labels[i], values[i] = cn.Value, cn.Count
		if label != nil {
			labels[i] = label(cn.Value)
		}
	}
	return labels, values
}
