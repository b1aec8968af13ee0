package matchgrid

import (
	"fmt"
	"net/url"

	"github.com/matchgrid/matchgrid/profiles"
)

// PersonalLink is a participant's newly issued personal link: the secret
// appears here once and is stored only as its hash.
type PersonalLink struct {
	ParticipantID string `json:"participant_id"`
	Name          string `json:"name"`
	Email         string `json:"email,omitempty"`
	Organization  string `json:"organization"`
	Secret        string `json:"secret"`
	// Path is the link without scheme and host: "/e/<event>/link?key=<secret>".
	Path string `json:"path"`
}

// LinkPath returns the path of a personal link for a secret.
func LinkPath(eventID, secret string) string {
	return "/e/" + url.PathEscape(eventID) + "/link?key=" + url.QueryEscape(secret)
}

// IssueLinks gives participants of an event new random personal-link
// secrets, all in one transaction, and returns the links in the order of
// participantIDs (nil means every participant, in ID order). A new secret
// replaces the old one: the old link, and sessions opened with it, stop
// working. An unknown ID fails the whole call with profiles.ErrNotFound.
func (e *Engine) IssueLinks(eventID string, participantIDs []string) ([]PersonalLink, error) {
	var links []PersonalLink
	err := e.store.Update(func(tx *profiles.Tx) (err error) {
		links, err = issueLinks(tx, eventID, participantIDs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return links, nil
}

// issueLinks is IssueLinks inside the caller's transaction.
func issueLinks(tx *profiles.Tx, eventID string, participantIDs []string) ([]PersonalLink, error) {
	var people []profiles.Participant
	if participantIDs == nil {
		all, err := tx.Participants(eventID)
		if err != nil {
			return nil, err
		}
		people = all
	} else {
		if _, err := tx.Event(eventID); err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, id := range participantIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			p, err := tx.Participant(eventID, id)
			if err != nil {
				return nil, fmt.Errorf("issue links: %w", err)
			}
			people = append(people, *p)
		}
	}
	links := make([]PersonalLink, 0, len(people))
	orgNames := map[string]string{}
	for i := range people {
		p := &people[i]
		secret := profiles.NewSecret()
		p.SecretHash = profiles.HashSecret(secret)
		if err := tx.UpdateParticipant(p); err != nil {
			return nil, fmt.Errorf("issue links: %w", err)
		}
		name, ok := orgNames[p.OrganizationID]
		if !ok {
			if org, err := tx.Organization(eventID, p.OrganizationID); err == nil {
				name = org.Name
			}
			orgNames[p.OrganizationID] = name
		}
		links = append(links, PersonalLink{ParticipantID: p.ID, Name: p.Name(), Email: p.Email, Organization: name,
			Secret: secret, Path: LinkPath(eventID, secret)})
	}
	return links, nil
}
