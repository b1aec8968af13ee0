package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/matchgrid/matchgrid/notify"
	"github.com/matchgrid/matchgrid/profiles"
)

// linkPlaceholder stands for a personal link in a stored mail body.
const linkPlaceholder = "[personal link, sent by e-mail and not kept]"

// Service queues and sends e-mails. Its zero value is not usable: set
// From, Transport and PublicURL.
type Service struct {
	// From is the sender address, e.g. "Meet in Italy <noreply@example.org>".
	From      string
	Transport Transport
	// PublicURL is the server's address as participants reach it
	// ("https://b2b.example.org"), for the links in mails.
	PublicURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	links map[string]string // outbox ID -> personal link, until sent
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// url makes an absolute link from a path.
func (s *Service) url(path string) string { return strings.TrimRight(s.PublicURL, "/") + path }

// mailData is what the texts can use.
type mailData struct {
	Event, Zone, Name, Partner, Organization, Message, Link string
	Agenda                                                  []string
}

// enqueue renders and queues one mail to a participant.
func (s *Service) enqueue(tx *profiles.Tx, ev *profiles.Event, p *profiles.Participant, kind Kind, key string, at time.Time, data mailData) (*profiles.OutboxItem, error) {
	lang := RecipientLanguage(p)
	data.Event, data.Name = ev.Name, p.Name()
	subject, body, err := Render(kind, lang, data)
	if err != nil {
		return nil, err
	}
	item := &profiles.OutboxItem{EventID: ev.ID, Channel: profiles.ChannelMail, Key: key, Kind: string(kind),
		Target: p.Email, ParticipantID: p.ID, Lang: lang, Subject: subject, Body: body}
	created, err := tx.Enqueue(item, at)
	if err != nil || !created {
		return nil, err
	}
	return item, nil
}

// Link is a personal link to mail.
type Link struct {
	ParticipantID string
	// Path is the link's path with its secret, e.g. "/e/ev/link?key=...".
	Path string
}

// QueueLinks queues a personal-link mail to each participant, inside the
// caller's transaction (the one that issued the links). It returns how
// many mails it queued; participants without an address are logged as
// skipped.
func (s *Service) QueueLinks(tx *profiles.Tx, eventID string, links []Link) (int, error) {
	ev, err := tx.Event(eventID)
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, l := range links {
		p, err := tx.Participant(eventID, l.ParticipantID)
		if err != nil {
			return queued, err
		}
		sum := sha256.Sum256([]byte(l.Path))
		key := "links:" + eventID + ":" + p.ID + ":" + hex.EncodeToString(sum[:8])
		item, err := s.enqueue(tx, ev, p, KindLinks, key, s.now(), mailData{Link: linkPlaceholder})
		if err != nil {
			return queued, err
		}
		if item != nil && item.Status == profiles.OutboxQueued {
			s.mu.Lock()
			if s.links == nil {
				s.links = map[string]string{}
			}
			s.links[item.ID] = s.url(l.Path)
			s.mu.Unlock()
			queued++
		}
	}
	return queued, nil
}

// Notice queues the mails a notice calls for (a notify.Sink): request
// received to its receiver, request accepted to its sender, and to each
// participant whose agenda a grid change touched, their agenda.
func (s *Service) Notice(tx *profiles.Tx, n *notify.Notice) error {
	ev, err := tx.Event(n.EventID)
	if err != nil {
		return err
	}
	switch n.Kind {
	case notify.RequestSent:
		return s.requestMail(tx, ev, n, n.Request.To, n.Request.From, KindRequestReceived, "/e/"+url.PathEscape(ev.ID)+"/me/requests")
	case notify.RequestAccepted:
		return s.requestMail(tx, ev, n, n.Request.From, n.Request.To, KindRequestAccepted, "/e/"+url.PathEscape(ev.ID)+"/me/requests")
	case notify.GridUpdated:
		for _, pid := range n.Participants {
			if err := s.agendaMail(tx, ev, pid, n.At); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) requestMail(tx *profiles.Tx, ev *profiles.Event, n *notify.Notice, to, partner string, kind Kind, path string) error {
	p, err := tx.Participant(ev.ID, to)
	if err != nil {
		return err
	}
	other, err := tx.Participant(ev.ID, partner)
	if err != nil {
		return err
	}
	data := mailData{Partner: other.Name(), Link: s.url(path)}
	if org, err := tx.Organization(ev.ID, other.OrganizationID); err == nil {
		data.Organization = org.Name
	}
	if kind == KindRequestReceived {
		data.Message = n.Request.Message
	}
	_, err = s.enqueue(tx, ev, p, kind, n.Key+":"+p.ID, n.At, data)
	return err
}

// agendaMail queues a participant's agenda when it differs from the last
// one they were sent: "published" the first time, "changed" after.
func (s *Service) agendaMail(tx *profiles.Tx, ev *profiles.Event, pid string, at time.Time) error {
	p, err := tx.Participant(ev.ID, pid)
	if err != nil {
		return err
	}
	meetings, err := tx.MeetingsOfParticipant(ev.ID, pid)
	if err != nil {
		return err
	}
	lines, err := agendaLines(tx, ev, pid, meetings, RecipientLanguage(p))
	if err != nil {
		return err
	}
	kind := KindAgendaPublished
	if told, err := s.toldAgenda(tx, ev.ID, p); err != nil {
		return err
	} else if told {
		kind = KindAgendaChanged
	}
	key := "agenda:" + ev.ID + ":" + pid + ":" + notify.Arrangement(meetings)
	_, err = s.enqueue(tx, ev, p, kind, key, at, mailData{Zone: ev.TimeZone, Agenda: lines, Link: s.url("/e/" + url.PathEscape(ev.ID) + "/me/agenda")})
	return err
}

// toldAgenda reports whether the participant was already mailed an agenda.
func (s *Service) toldAgenda(tx *profiles.Tx, eventID string, p *profiles.Participant) (bool, error) {
	if p.Email == "" {
		return false, nil
	}
	items, err := tx.OutboxOfTarget(eventID, p.Email)
	for _, it := range items {
		if it.Channel == profiles.ChannelMail && it.ParticipantID == p.ID && strings.HasPrefix(it.Kind, "agenda_") {
			return true, err
		}
	}
	return false, err
}

// agendaLines describes a participant's meetings, one line each, in slot order.
func agendaLines(tx *profiles.Tx, ev *profiles.Event, pid string, meetings []profiles.Meeting, lang string) ([]string, error) {
	slots, err := ev.Slots()
	if err != nil {
		return nil, err
	}
	bySlot := make(map[int][]string)
	for _, m := range meetings {
		if m.Status == profiles.MeetingCancelled || m.Slot >= len(slots) {
			continue
		}
		partner, err := tx.Participant(ev.ID, m.Partner(pid))
		if err != nil {
			return nil, err
		}
		who := partner.Name()
		if org, err := tx.Organization(ev.ID, partner.OrganizationID); err == nil {
			who += " (" + org.Name + ")"
		}
		bySlot[m.Slot] = append(bySlot[m.Slot], fmt.Sprintf("%s-%s  %s  %s",
			dayTime(slots[m.Slot].Start, lang), slots[m.Slot].End.Format("15:04"), ev.TableName(m.Table), who))
	}
	var lines []string
	for i := range slots {
		lines = append(lines, bySlot[i]...)
	}
	return lines, nil
}

// Send delivers one queued mail through the transport (a notify.Sender).
func (s *Service) Send(ctx context.Context, item *profiles.OutboxItem) (int, error) {
	body := item.Body
	if item.Kind == string(KindLinks) {
		s.mu.Lock()
		link, ok := s.links[item.ID]
		s.mu.Unlock()
		if !ok {
			return 0, &notify.PermanentError{Err: fmt.Errorf("the personal link was issued before the server restarted and is not kept: send a new link")}
		}
		body = strings.Replace(body, linkPlaceholder, link, 1)
	}
	msg, err := Message(s.From, item, body, s.now())
	if err != nil {
		return 0, &notify.PermanentError{Err: err}
	}
	from, _ := netmail.ParseAddress(s.From) // Message checked it
	to, _ := netmail.ParseAddress(item.Target)
	if err := s.Transport.Deliver(ctx, from.Address, to.Address, item.ID, msg); err != nil {
		return 0, err
	}
	if item.Kind == string(KindLinks) {
		s.mu.Lock()
		delete(s.links, item.ID)
		s.mu.Unlock()
	}
	return 0, nil
}

// Day and month names of the languages other than English.
var (
	weekdays = map[string][]string{"it": {"dom", "lun", "mar", "mer", "gio", "ven", "sab"}}
	months   = map[string][]string{"it": {"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"}}
)

// dayTime writes "Tue 16 Mar 09:30" in the language ("mar 16 mar 09:30" in Italian).
func dayTime(t time.Time, lang string) string {
	wd, mo := weekdays[lang], months[lang]
	if wd == nil {
		return t.Format("Mon 2 Jan 15:04")
	}
	return fmt.Sprintf("%s %d %s %s", wd[t.Weekday()], t.Day(), mo[t.Month()-1], t.Format("15:04"))
}
