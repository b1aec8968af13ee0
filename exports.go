package matchgrid

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
)

// Export names a spreadsheet an organizer can download for an event.
type Export string

// The spreadsheet exports. Each is written through package sheet, so every
// cell of every format is neutralised against formula injection.
const (
	ExportParticipants  Export = "participants"  // the participants import's columns
	ExportOpportunities Export = "opportunities" // the opportunities import's columns
	ExportGrid          Export = "grid"          // slots by tables
	ExportAgendas       Export = "agendas"       // every participant's agenda, one row per meeting and side
	ExportFunnel        Export = "funnel"        // suggested -> requested -> accepted -> held -> agreements
	ExportMailLog       Export = "mail-log"      // the e-mails sent or queued
)

// Exports lists every export, in the order a page offers them.
var Exports = []Export{ExportParticipants, ExportOpportunities, ExportGrid, ExportAgendas, ExportFunnel, ExportMailLog}

// ErrUnknownExport means an export name is not one of Exports.
var ErrUnknownExport = errors.New("unknown export")

// ParseExport reads an export name.
func ParseExport(name string) (Export, error) {
	if x := Export(name); slices.Contains(Exports, x) {
		return x, nil
	}
	return "", fmt.Errorf("%w %q: expected one of %v", ErrUnknownExport, name, Exports)
}

// FileName is the export's download name in a format, e.g. "ev-grid.xlsx".
func (x Export) FileName(eventID string, f sheet.Format) string {
	return eventID + "-" + string(x) + f.Ext()
}

// funnelSuggestionsPer is how many suggestions per participant the
// funnel export counts.
const funnelSuggestionsPer = 10

// WriteExport writes one export of an event in a format.
func (e *Engine) WriteExport(w io.Writer, eventID string, x Export, f sheet.Format) error {
	switch x {
	case ExportGrid:
		return e.writeGrid(w, eventID, f)
	case ExportAgendas:
		return e.writeAgendas(w, eventID, f)
	case ExportFunnel:
		fn, err := e.Funnel(eventID, funnelSuggestionsPer)
		if err != nil {
			return err
		}
		return sheet.WriteFile(w, f, "funnel", func(sw *sheet.Writer) error { return writeFunnel(sw, fn) })
	}
	return e.store.View(func(tx *profiles.Tx) error {
		return sheet.WriteFile(w, f, string(x), func(sw *sheet.Writer) error {
			switch x {
			case ExportParticipants:
				return tx.ExportParticipants(eventID, sw)
			case ExportOpportunities:
				return tx.ExportOpportunities(eventID, sw)
			case ExportMailLog:
				return writeMailLog(tx, eventID, sw)
			}
			return fmt.Errorf("%w %q", ErrUnknownExport, x)
		})
	})
}

// WriteGridCSV writes the organizer's grid of an event (rows = slots,
// columns = tables) from the meetings on the grid, as plain CSV.
func (e *Engine) WriteGridCSV(w io.Writer, eventID string) error {
	return e.writeGrid(w, eventID, sheet.CSV)
}

func (e *Engine) writeGrid(w io.Writer, eventID string, f sheet.Format) error {
	return e.store.View(func(tx *profiles.Tx) error {
		ev, err := tx.Event(eventID)
		if err != nil {
			return err
		}
		in, g, err := storedGrid(tx, eventID)
		if err != nil {
			return err
		}
		return sheet.WriteFile(w, f, "grid", func(sw *sheet.Writer) error {
			return calendar.WriteGrid(sw, in.problem, g, ev.TableName)
		})
	})
}

// agendasColumns are the columns of the agendas export.
var agendasColumns = append([]string{"participant_id", "meeting_id", "participant"}, calendar.AgendaColumns...)

func (e *Engine) writeAgendas(w io.Writer, eventID string, f sheet.Format) error {
	var people []profiles.Participant
	err := e.store.View(func(tx *profiles.Tx) (err error) { people, err = tx.Participants(eventID); return err })
	if err != nil {
		return err
	}
	return sheet.WriteFile(w, f, "agendas", func(sw *sheet.Writer) error {
		if err := sw.Write(agendasColumns); err != nil {
			return err
		}
		for _, p := range people {
			_, entries, err := e.Agenda(eventID, p.ID)
			if err != nil {
				return err
			}
			for _, en := range entries {
				if err := sw.Write(append([]string{p.ID, en.MeetingID, p.Name()}, calendar.AgendaRow(en)...)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func writeFunnel(w *sheet.Writer, f *Funnel) error {
	rate := func(n, of int) string {
		if of == 0 {
			return ""
		}
		return strconv.FormatFloat(float64(n)/float64(of), 'f', 3, 64)
	}
	rows := [][]string{
		{"stage", "pairs", "share_of_previous_stage"},
		{"suggested (top " + strconv.Itoa(f.SuggestionsPer) + ")", strconv.Itoa(f.Suggested), ""},
		{"requested", strconv.Itoa(f.Requested), ""},
		{"requested and suggested", strconv.Itoa(f.RequestedSuggested), rate(f.RequestedSuggested, f.Requested)},
		{"accepted", strconv.Itoa(f.Accepted), rate(f.Accepted, f.Requested)},
		{"held", strconv.Itoa(f.Held), rate(f.Held, f.Accepted)},
		{"no-show", strconv.Itoa(f.NoShow), ""},
		{"with an agreement", strconv.Itoa(f.WithAgreement), rate(f.WithAgreement, f.Held)},
		{},
		{"agreement", "reports", ""},
	}
	for _, c := range f.Agreements {
		rows = append(rows, []string{profiles.AgreementType(c.Value).Label(), strconv.Itoa(c.Count), ""})
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	return nil
}

func writeMailLog(tx *profiles.Tx, eventID string, w *sheet.Writer) error {
	items, err := tx.Outbox(eventID, profiles.ChannelMail)
	if err != nil {
		return err
	}
	if err := w.Write([]string{"created", "kind", "participant_id", "to", "language", "subject", "status", "attempts", "last_error"}); err != nil {
		return err
	}
	for _, it := range items {
		row := []string{it.CreatedAt.Format("2006-01-02 15:04:05"), it.Kind, it.ParticipantID, it.Target, it.Lang, it.Subject,
			string(it.Status), strconv.Itoa(it.Attempts), it.LastError}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// WriteLinks writes newly issued personal links with absolute URLs
// (baseURL + path), one row per participant.
func WriteLinks(w io.Writer, f sheet.Format, baseURL string, links []PersonalLink) error {
	return sheet.WriteFile(w, f, "links", func(sw *sheet.Writer) error {
		if err := sw.Write([]string{"participant_id", "name", "email", "organization", "link"}); err != nil {
			return err
		}
		for _, l := range links {
			if err := sw.Write([]string{l.ParticipantID, l.Name, l.Email, l.Organization, baseURL + l.Path}); err != nil {
				return err
			}
		}
		return nil
	})
}
