package site

import (
	"cmp"
	"errors"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
)

// defaultSuggestions is how many partners a participant is suggested when
// the organizer has not chosen.
const defaultSuggestions = 20

// suggestionsOf is the event's number of suggestions per participant.
func suggestionsOf(ev *profiles.Event) int {
	if ev.Suggestions > 0 {
		return ev.Suggestions
	}
	return defaultSuggestions
}

// matchmakingData summarizes a matchmaking run for the organizer.
type matchmakingData struct {
	K, Participants, WithSuggestions int
	Average                          float64
	Without                          []participantRow // participants with no suggestion
	Popular                          []popularPartner // suggested most often
	Elapsed                          time.Duration
}

// popularPartner is a participant many others were suggested to meet.
type popularPartner struct {
	ID, Name, Org string
	Times         int
}

// matchJob is a matchmaking run in the background: the page polls it.
type matchJob struct {
	k, total int
	done     atomic.Int64
	started  time.Time
	elapsed  time.Duration
	finished chan struct{} // closed when all, err and elapsed are set
	all      map[string][]matcher.Suggestion
	err      error
}

// matchJobs are the runs by event; a finished one stays until the next.
type matchJobs struct {
	mu   sync.Mutex
	jobs map[string]*matchJob
}

// start begins a run for the event's participants unless one is running,
// and returns the event's run.
func (j *matchJobs) start(m *matcher.Matcher, eventID string, ids []string, k int) *matchJob {
	j.mu.Lock()
	defer j.mu.Unlock()
	if job := j.jobs[eventID]; job != nil && !job.isDone() {
		return job
	}
	job := &matchJob{k: k, total: len(ids), started: time.Now(), finished: make(chan struct{})}
	if j.jobs == nil {
		j.jobs = map[string]*matchJob{}
	}
	j.jobs[eventID] = job
	go job.run(m, eventID, ids)
	return job
}

// get returns the event's latest run, nil if none.
func (j *matchJobs) get(eventID string) *matchJob {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.jobs[eventID]
}

func (job *matchJob) isDone() bool {
	select {
	case <-job.finished:
		return true
	default:
		return false
	}
}

// run ranks partners for every participant on every CPU, counting done.
func (job *matchJob) run(m *matcher.Matcher, eventID string, ids []string) {
	results := make([][]matcher.Suggestion, len(ids))
	errs := make([]error, len(ids))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(ids))) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(ids); i = int(next.Add(1)) - 1 {
				results[i], errs[i] = m.Suggest(eventID, ids[i], job.k)
				if errors.Is(errs[i], matcher.ErrNotFound) || errors.Is(errs[i], profiles.ErrNotFound) {
					errs[i] = nil // left the event during the run
				}
				job.done.Add(1)
			}
		})
	}
	wg.Wait()
	job.all = make(map[string][]matcher.Suggestion, len(ids))
	for i, id := range ids {
		job.all[id] = results[i]
	}
	job.err = errors.Join(errs...)
	job.elapsed = time.Since(job.started).Round(time.Millisecond)
	close(job.finished)
}

// runMatchmaking is POST /organizer/e/:event/matchmaking: the organizer's
// "suggestions per participant" (form field "k") becomes the event's
// setting, which the participants' suggestions pages honour, and a run
// over every participant starts in the background; the organizer follows
// it on the matchmaking page.
func (s *Site) runMatchmaking(c *gin.Context) {
	eventID := c.Param("event")
	k, err := strconv.Atoi(c.DefaultPostForm("k", strconv.Itoa(defaultSuggestions)))
	if err != nil || k < 1 || k > profiles.MaxSuggestions {
		s.redirectWith(c, organizerPath(eventID, "/participants"), "error", s.tr(c, "mm.bad_k", map[string]any{"Max": profiles.MaxSuggestions}))
		return
	}
	var ids []string
	err = s.store.Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event(eventID)
		if err != nil {
			return err
		}
		if ev.Suggestions != k {
			ev.Suggestions = k
			if err := tx.UpdateEvent(ev); err != nil {
				return err
			}
		}
		people, err := tx.Participants(eventID)
		for _, p := range people {
			ids = append(ids, p.ID)
		}
		return err
	})
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	m, err := s.engine.Matcher()
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.matchmaking.start(m, eventID, ids, k)
	c.Redirect(http.StatusSeeOther, organizerPath(eventID, "/matchmaking"))
}

// matchmakingPage is GET /organizer/e/:event/matchmaking: the run's
// progress while it lasts (the page reloads itself), then its summary;
// before any run, a page that says so.
func (s *Site) matchmakingPage(c *gin.Context) {
	eventID := c.Param("event")
	ev, err := s.loadEvent(eventID)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	pv := &pageView{Title: "title.matchmaking", Event: ev, Section: "participants"}
	job := s.matchmaking.get(eventID)
	switch {
	case job == nil:
		pv.Data = struct{ State string }{"none"}
	case !job.isDone():
		pv.Data = struct {
			State       string
			Done, Total int
		}{"running", int(job.done.Load()), job.total}
		pv.Refresh = 2
	case job.err != nil:
		s.storeErrorPage(c, job.err)
		return
	default:
		d, err := s.summarize(ev, job)
		if err != nil {
			s.storeErrorPage(c, err)
			return
		}
		pv.Data = struct {
			State string
			matchmakingData
		}{"done", d}
	}
	s.render(c, http.StatusOK, "matchmaking", pv)
}

// summarize reads what a finished run found: who got no suggestion, who
// is suggested most often (the people whose agendas will fill first).
func (s *Site) summarize(ev *profiles.Event, job *matchJob) (matchmakingData, error) {
	d := matchmakingData{K: job.k, Elapsed: job.elapsed}
	times := map[string]int{}
	total := 0
	err := s.store.View(func(tx *profiles.Tx) error {
		people, err := tx.Participants(ev.ID)
		if err != nil {
			return err
		}
		d.Participants = len(people)
		byID := map[string]*profiles.Participant{}
		for i := range people {
			p := &people[i]
			byID[p.ID] = p
			sugs := job.all[p.ID]
			total += len(sugs)
			if len(sugs) > 0 {
				d.WithSuggestions++
			} else {
				d.Without = append(d.Without, participantRow{ID: p.ID, Name: p.Name()})
			}
			for _, sg := range sugs {
				times[sg.ParticipantID]++
			}
		}
		for id, n := range times {
			pp := popularPartner{ID: id, Times: n}
			if p := byID[id]; p != nil {
				pp.Name = p.Name()
				if org, err := tx.Organization(ev.ID, p.OrganizationID); err == nil {
					pp.Org = org.Name
				}
			}
			d.Popular = append(d.Popular, pp)
		}
		return nil
	})
	if d.Participants > 0 {
		d.Average = float64(total) / float64(d.Participants)
	}
	slices.SortFunc(d.Popular, func(a, b popularPartner) int { return cmp.Or(b.Times-a.Times, cmp.Compare(a.ID, b.ID)) })
	d.Popular = d.Popular[:min(len(d.Popular), 10)]
	return d, err
}
