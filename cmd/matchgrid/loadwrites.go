package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// The writes of bench http: while the readers load their endpoints,
// writers of their own (own clients, own connections) send meeting
// requests, accept and decline them as their receivers, and edit
// opportunities as their publishers, at a fixed rate. Every write the
// server acknowledged is looked for in the store afterwards.

// writeKinds is the cycle of writes: as many answers as sends, so pending
// requests do not pile up against the event's cap.
var writeKinds = []string{"send", "accept", "edit", "send", "decline"}

// ackedWrite is a write the server acknowledged, with what the store must
// hold for it.
type ackedWrite struct {
	kind    string
	id      string // request or opportunity ID
	summary string // edits: the summary written
}

// writeLoad plans and performs the writes of one event.
type writeLoad struct {
	eventID string
	base    string
	client  *http.Client
	tokens  map[string]string // participant ID -> bearer token

	mu      sync.Mutex
	pairs   [][2]string            // (from, to) free to request, in the order they are used
	opps    []profiles.Opportunity // opportunities to edit, each once, in order
	pending []*profiles.MeetingRequest
	acked   []ackedWrite
	tally   tally
}

// planWrites reads the event and prepares the writes: pairs of
// participants of different organizations who may meet and have no request
// between them, senders taken in turn so that none comes near the cap on
// pending requests, and the opportunities to edit.
func planWrites(store *profiles.Store, eventID, base string, client *http.Client, tokens map[string]string) (*writeLoad, error) {
	w := &writeLoad{eventID: eventID, base: base, client: client, tokens: tokens}
	err := store.View(func(tx *profiles.Tx) error {
		ev, err := tx.Event(eventID)
		if err != nil {
			return err
		}
		people, err := tx.Participants(eventID)
		if err != nil {
			return err
		}
		reqs, err := tx.Requests(eventID)
		if err != nil {
			return err
		}
		busy := map[[2]string]bool{}
		pendingOut := map[string]int{}
		for _, r := range reqs {
			busy[[2]string{r.From, r.To}], busy[[2]string{r.To, r.From}] = true, true
			if r.Status == profiles.RequestPending {
				pendingOut[r.From]++
			}
		}
		// Round j gives each sender with room its j-th receiver.
		for j := 1; j <= 3; j++ {
			for si, a := range people {
				if limit := ev.Policy.MaxPendingOutgoing; limit > 0 && pendingOut[a.ID]+j > limit {
					continue
				}
				found := 0
				for k := 1; k < len(people); k++ {
					b := people[(si+k*7)%len(people)]
					if b.OrganizationID == a.OrganizationID || busy[[2]string{a.ID, b.ID}] || !ev.MayMeet(a.Type, b.Type) ||
						slices.Contains(a.Blocked, b.ID) || slices.Contains(b.Blocked, a.ID) {
						continue
					}
					if found++; found == j {
						busy[[2]string{a.ID, b.ID}], busy[[2]string{b.ID, a.ID}] = true, true
						w.pairs = append(w.pairs, [2]string{a.ID, b.ID})
						break
					}
				}
			}
		}
		opps, err := tx.Opportunities(eventID)
		if err != nil {
			return err
		}
		w.opps = opps
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bench http: plan writes: %w", err)
	}
	return w, nil
}

// run performs writes at rate per second for d and returns their record.
func (w *writeLoad) run(ctx context.Context, rate float64, d time.Duration) loadResult {
	w.tally = tally{}
	elapsed := openLoop(ctx, rate, d, func(i int, at time.Time) {
		status, err := w.write(ctx, writeKinds[i%len(writeKinds)], i)
		took := time.Since(at)
		if ctx.Err() != nil {
			return
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		w.tally.record(took, status, err)
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.tally.result("writes", "POST .../requests, POST .../requests/ID/accept|decline, PUT .../opportunities/ID", 0, elapsed)
	r.Rate = rate
	return r
}

// write performs one write of the kind; an answer or decline with nothing
// pending to answer becomes a send.
func (w *writeLoad) write(ctx context.Context, kind string, i int) (int, error) {
	w.mu.Lock()
	var req *profiles.MeetingRequest
	if kind == "accept" || kind == "decline" {
		if len(w.pending) == 0 {
			kind = "send"
		} else {
			req, w.pending = w.pending[0], w.pending[1:]
		}
	}
	var pair [2]string
	var opp profiles.Opportunity
	switch kind {
	case "send":
		if len(w.pairs) == 0 {
			w.mu.Unlock()
			return 0, fmt.Errorf("no participants left to send requests between")
		}
		pair, w.pairs = w.pairs[0], w.pairs[1:]
	case "edit":
		opp = w.opps[i%len(w.opps)]
	}
	w.mu.Unlock()

	ev := url.PathEscape(w.eventID)
	switch kind {
	case "send":
		var got profiles.MeetingRequest
		status, err := w.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/events/%s/participants/%s/requests", ev, url.PathEscape(pair[0])),
			w.tokens[pair[0]], sendRequestBody{To: pair[1], Message: "bench http: a meeting?"}, &got)
		if err == nil && status == http.StatusCreated {
			w.mu.Lock()
			w.pending = append(w.pending, &got)
			w.acked = append(w.acked, ackedWrite{kind: "send", id: got.ID})
			w.mu.Unlock()
		}
		return status, err
	case "accept", "decline":
		status, err := w.do(ctx, http.MethodPost, fmt.Sprintf("/api/v1/events/%s/requests/%s/%s", ev, url.PathEscape(req.ID), kind),
			w.tokens[req.To], nil, nil)
		if err == nil && status == http.StatusOK {
			w.mu.Lock()
			w.acked = append(w.acked, ackedWrite{kind: kind, id: req.ID})
			w.mu.Unlock()
		}
		return status, err
	default:
		opp.Summary = fmt.Sprintf("%s (revised %d)", trimRevision(opp.Summary), i)
		status, err := w.do(ctx, http.MethodPut, fmt.Sprintf("/api/v1/events/%s/opportunities/%s", ev, url.PathEscape(opp.ID)),
			w.tokens[opp.ParticipantID], opp, nil)
		if err == nil && status == http.StatusOK {
			w.mu.Lock()
			w.acked = append(w.acked, ackedWrite{kind: "edit", id: opp.ID, summary: opp.Summary})
			w.mu.Unlock()
		}
		return status, err
	}
}

// sendRequestBody is the body of a meeting request as the API takes it.
type sendRequestBody struct {
	To      string `json:"to"`
	Message string `json:"message,omitempty"`
}

// trimRevision drops the revision mark an earlier run left on a summary.
func trimRevision(s string) string {
	if i := bytes.LastIndex([]byte(s), []byte(" (revised ")); i >= 0 {
		return s[:i]
	}
	return s
}

// do sends one JSON request and decodes a 2xx answer into out (when set).
func (w *writeLoad) do(ctx context.Context, method, path, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, w.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out); err != nil {
			return resp.StatusCode, err
		}
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// verify looks for every acknowledged write in the store: each request
// sent is there between its participants, with the status of its last
// acknowledged answer; each edited opportunity holds one of the summaries
// written to it (edits of one opportunity may have overlapped).
func (w *writeLoad) verify(store *profiles.Store) (verified, lost int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	err = store.View(func(tx *profiles.Tx) error {
		for _, a := range w.acked {
			ok, err := w.holds(tx, a)
			if err != nil {
				return err
			}
			if ok {
				verified++
			} else {
				lost++
			}
		}
		return nil
	})
	return verified, lost, err
}

func (w *writeLoad) holds(tx *profiles.Tx, a ackedWrite) (bool, error) {
	if a.kind == "edit" {
		o, err := tx.Opportunity(w.eventID, a.id)
		if errors.Is(err, profiles.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		for _, b := range w.acked {
			if b.kind == "edit" && b.id == a.id && b.summary == o.Summary {
				return true, nil
			}
		}
		return false, nil
	}
	r, err := tx.Request(w.eventID, a.id)
	if errors.Is(err, profiles.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if a.kind == "send" { // answered since, maybe by an answer whose acknowledgement was lost
		return true, nil
	}
	want := map[string]profiles.RequestStatus{"send": profiles.RequestPending, "accept": profiles.RequestAccepted, "decline": profiles.RequestDeclined}[a.kind]
	return r.Status == want, nil
}
