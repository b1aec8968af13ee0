package demo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// requestMix is the share of each final state, in percent, before the
// pending cap; pending requests are the ones nobody answered yet.
var requestMix = []struct {
	status  profiles.RequestStatus
	percent int
}{
	{profiles.RequestAccepted, 62}, {profiles.RequestPending, 14}, {profiles.RequestDeclined, 14},
	{profiles.RequestCancelled, 5}, {profiles.RequestExpired, 5},
}

// Request timing: requests open five weeks before the event and close two
// days before it; the pending ones are the last week's.
var (
	requestsOpen  = time.Date(2027, 2, 10, 9, 0, 0, 0, time.UTC)
	requestsClose = time.Date(2027, 3, 15, 18, 0, 0, 0, time.UTC)
)

// sendRequests invents meeting requests between participants whose
// organizations share topics (keywords and sectors), never within one
// organization and at most one request per pair.
func (b *builder) sendRequests() {
	terms := make([]map[string]bool, len(b.people))
	for i := range b.people {
		org := b.orgByID[b.people[i].OrganizationID]
		set := map[string]bool{}
		for _, k := range org.Keywords {
			set[strings.ToLower(k)] = true
		}
		for _, s := range org.Sectors {
			set[strings.ToLower(s)] = true
		}
		terms[i] = set
	}
	// Terms most organizations share ("clinical medicine") link nobody in
	// particular: drop them, and weigh the rest by rarity.
	orgFreq := map[string]int{}
	for _, o := range b.orgs {
		seen := map[string]bool{}
		for _, t := range append(slices.Clone(o.Keywords), o.Sectors...) {
			if t = strings.ToLower(t); !seen[t] {
				seen[t] = true
				orgFreq[t]++
			}
		}
	}
	for _, set := range terms {
		for t := range set {
			if orgFreq[t] > len(b.orgs)/10 {
				delete(set, t)
			}
		}
	}
	oppsOf := map[string][]*profiles.Opportunity{}
	for i := range b.opps {
		oppsOf[b.opps[i].ParticipantID] = append(oppsOf[b.opps[i].ParticipantID], &b.opps[i])
	}
	paired := map[[2]int]bool{}
	pending := map[int]int{}
	sent := map[int]int{}
	type candidate struct {
		to     int
		shared []string // rarest first
		weight float64
	}
	// rank lists the participants from may meet, sharing at least one
	// topic, best link first.
	rank := func(from int) []candidate {
		sender := &b.people[from]
		cands := []candidate{}
		for to := range b.people {
			receiver := &b.people[to]
			if receiver.OrganizationID == sender.OrganizationID || !b.event.MayMeet(sender.Type, receiver.Type) {
				continue
			}
			var shared []string
			for t := range terms[from] {
				if terms[to][t] {
					shared = append(shared, t)
				}
			}
			if len(shared) == 0 {
				continue
			}
			slices.SortFunc(shared, func(x, y string) int { return cmp.Or(orgFreq[x]-orgFreq[y], strings.Compare(x, y)) })
			weight := 0.0
			for _, t := range shared {
				weight += 1 / float64(orgFreq[t])
			}
			cands = append(cands, candidate{to, shared, weight})
		}
		slices.SortFunc(cands, func(x, y candidate) int { return cmp.Or(cmp.Compare(y.weight, x.weight), x.to-y.to) })
		return cands
	}
	ranked := make([][]candidate, len(b.people))
	for tries := 0; len(b.requests) < b.opts.Requests && tries < b.opts.Requests*20; tries++ {
		from := b.rng.IntN(len(b.people))
		if sent[from] >= 6 {
			continue
		}
		sender := &b.people[from]
		if ranked[from] == nil {
			ranked[from] = rank(from)
		}
		var cands []candidate // the best eight not yet paired with from
		for _, c := range ranked[from] {
			if !paired[[2]int{min(from, c.to), max(from, c.to)}] {
				cands = append(cands, c)
				if len(cands) == 8 {
					break
				}
			}
		}
		if len(cands) == 0 {
			continue
		}
		c := cands[b.rng.IntN(len(cands))]
		status := b.drawStatus()
		if status == profiles.RequestPending && pending[from] >= b.event.Policy.MaxPendingOutgoing {
			status = profiles.RequestAccepted
		}
		receiver := &b.people[c.to]
		r := profiles.MeetingRequest{
			ID:      fmt.Sprintf("req-%04d", len(b.requests)+1),
			EventID: EventID,
			From:    sender.ID,
			To:      receiver.ID,
			Status:  status,
		}
		if opp := bestOpportunity(oppsOf[receiver.ID], terms[from]); opp != nil {
			r.OpportunityID = opp.ID
		}
		r.Message = b.message(sender, receiver, c.shared[b.rng.IntN(min(2, len(c.shared)))], r.OpportunityID)
		b.stamp(&r)
		b.requests = append(b.requests, r)
		paired[[2]int{min(from, c.to), max(from, c.to)}] = true
		sent[from]++
		if status == profiles.RequestPending {
			pending[from]++
		}
	}
}

// drawStatus picks a final state by requestMix.
func (b *builder) drawStatus() profiles.RequestStatus {
	r := b.rng.IntN(100)
	for _, m := range requestMix {
		if r < m.percent {
			return m.status
		}
		r -= m.percent
	}
	return profiles.RequestAccepted
}

// stamp sets the request's times consistently with its state and the
// event's 168-hour expiry.
func (b *builder) stamp(r *profiles.MeetingRequest) {
	expiry := time.Duration(b.event.Policy.ExpiryHours) * time.Hour
	// between picks a minute in office hours (08:00 to 19:00 at the venue) of a day from from to to.
	between := func(from, to time.Time) time.Time {
		days := int(to.Sub(from)/(24*time.Hour)) + 1
		d := from.In(b.loc).AddDate(0, 0, b.rng.IntN(days))
		return time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, b.loc).Add(time.Duration(b.rng.IntN(11*60)) * time.Minute)
	}
	switch r.Status {
	case profiles.RequestPending:
		r.CreatedAt = between(requestsClose.Add(-6*24*time.Hour), requestsClose)
		r.UpdatedAt = r.CreatedAt
		exp := r.CreatedAt.Add(expiry)
		r.ExpiresAt = &exp
	case profiles.RequestExpired:
		r.CreatedAt = between(requestsOpen, requestsClose.Add(-expiry-24*time.Hour))
		exp := r.CreatedAt.Add(expiry)
		r.ExpiresAt, r.UpdatedAt = &exp, exp
	default:
		r.CreatedAt = between(requestsOpen, requestsClose.Add(-72*time.Hour))
		r.UpdatedAt = r.CreatedAt.AddDate(0, 0, b.rng.IntN(4)).Add(time.Duration(20+b.rng.IntN(160)) * time.Minute)
	}
}

// bestOpportunity returns the receiver's opportunity sharing most keywords with terms.
func bestOpportunity(opps []*profiles.Opportunity, terms map[string]bool) *profiles.Opportunity {
	var best *profiles.Opportunity
	bestScore := 0
	for _, o := range opps {
		score := 0
		for _, k := range o.Keywords {
			if terms[strings.ToLower(k)] {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = o, score
		}
	}
	return best
}

// message writes the request's note from the sender's real project and
// the topic both organizations work on.
func (b *builder) message(sender, receiver *profiles.Participant, topic, oppID string) string {
	from := b.orgByID[sender.OrganizationID]
	to := b.orgByID[receiver.OrganizationID]
	own := b.recentProject(from, 0)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Dear %s, I am %s at %s.", receiver.Name(), article(sender.JobTitle), from.Name)
	fmt.Fprintf(&sb, " We work on %s", topic)
	if own != nil {
		fmt.Fprintf(&sb, "; our latest project is %s (%s)", own.Acronym, strings.TrimRight(own.Title, ". "))
	}
	sb.WriteString(".")
	if oppID != "" {
		for i := range b.opps {
			if b.opps[i].ID == oppID {
				fmt.Fprintf(&sb, " Your profile \"%s\" caught my attention.", b.opps[i].Title)
				break
			}
		}
	} else {
		fmt.Fprintf(&sb, " %s's work on %s looks complementary to ours.", to.Name, topic)
	}
	sb.WriteString(" Could we meet in Milan to explore a collaboration?")
	return sb.String()
}

// article puts "a" or "an" before a job title, "the" before chief roles.
func article(title string) string {
	switch {
	case strings.HasPrefix(title, "Head") || strings.HasPrefix(title, "Chief") || strings.HasPrefix(title, "CEO") ||
		strings.HasPrefix(title, "CTO") || strings.HasPrefix(title, "Director") || strings.HasPrefix(title, "Co-founder"):
		return "the " + title
	case strings.ContainsRune("AEIOU", rune(title[0])):
		return "an " + title
	}
	return "a " + title
}
