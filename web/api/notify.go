package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
)

// MailLinksInput chooses whose personal links are renewed and mailed.
type MailLinksInput struct {
	// ParticipantIDs to mail; empty means every participant of the event.
	ParticipantIDs []string `json:"participant_ids,omitempty"`
}

// MailLinksView tells what MailLinks did.
type MailLinksView struct {
	Issued int `json:"issued"` // links renewed (the old ones stop working)
	Queued int `json:"queued"` // mails queued (the rest: no address, logged as skipped)
}

// mailLinks is POST /events/:event/links/mail.
func (s *API) mailLinks(c *gin.Context) {
	var in MailLinksInput
	if !readBody(c, &in, true) {
		return
	}
	var ids []string
	if len(in.ParticipantIDs) > 0 {
		ids = in.ParticipantIDs
	}
	links, queued, err := s.engine.MailLinks(c.Param("event"), ids)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, MailLinksView{Issued: len(links), Queued: queued})
}

// mailLog is GET /events/:event/mail: the send log, newest first.
func (s *API) mailLog(c *gin.Context) {
	items, err := s.engine.MailLog(c.Param("event"))
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, len(items)))
}

// WebhookInput registers a webhook.
type WebhookInput struct {
	URL string `json:"url"`
	// Kinds to receive (request.sent, request.accepted, request.declined,
	// request.cancelled, grid.published, grid.changed); empty for all.
	Kinds []string `json:"kinds,omitempty"`
}

// WebhookView is a webhook as listed: without its secret.
type WebhookView struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Kinds     []string `json:"kinds,omitempty"`
	CreatedAt string   `json:"created_at"`
}

// NewWebhookView is a webhook just registered: with its signing secret,
// shown this once.
type NewWebhookView struct {
	WebhookView
	Secret string `json:"secret"`
}

func webhookView(w *profiles.Webhook) WebhookView {
	return WebhookView{ID: w.ID, URL: w.URL, Kinds: w.Kinds, CreatedAt: w.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}
}

// createWebhook is POST /events/:event/webhooks.
func (s *API) createWebhook(c *gin.Context) {
	var in WebhookInput
	if !readBody(c, &in, false) {
		return
	}
	w, err := s.engine.RegisterWebhook(c.Param("event"), in.URL, in.Kinds)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusCreated, NewWebhookView{WebhookView: webhookView(w), Secret: w.Secret})
}

// listWebhooks is GET /events/:event/webhooks.
func (s *API) listWebhooks(c *gin.Context) {
	hooks, err := s.engine.Webhooks(c.Param("event"))
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	views := make([]WebhookView, len(hooks))
	for i := range hooks {
		views[i] = webhookView(&hooks[i])
	}
	c.JSON(http.StatusOK, newList(views, len(views)))
}

// deleteWebhook is DELETE /events/:event/webhooks/:webhook.
func (s *API) deleteWebhook(c *gin.Context) {
	if err := s.engine.DeleteWebhook(c.Param("event"), c.Param("webhook")); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// deliveries is GET /events/:event/webhooks/:webhook/deliveries.
func (s *API) deliveries(c *gin.Context) {
	items, err := s.engine.Deliveries(c.Param("event"), c.Param("webhook"))
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(items, len(items)))
}
