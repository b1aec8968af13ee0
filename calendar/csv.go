package calendar

import (
	"fmt"
	"io"
	"time"

	"github.com/matchgrid/matchgrid/scheduler"
	"github.com/matchgrid/matchgrid/sheet"
)

// RowWriter receives the rows of a spreadsheet, header first. Package
// sheet's Writer is one: it writes CSV or XLSX and neutralises every cell
// against formula injection, so the rows here are plain values.
type RowWriter interface {
	Write(row []string) error
}

// WriteGridCSV writes the organizer's grid as CSV (see WriteGrid).
func WriteGridCSV(w io.Writer, p *scheduler.Problem, g *scheduler.Grid, tableName func(int) string) error {
	return sheet.WriteFile(w, sheet.CSV, "grid", func(sw *sheet.Writer) error { return WriteGrid(sw, p, g, tableName) })
}

// WriteGrid writes the organizer's grid: one row per slot, one column per
// table, each cell "A / B" with the participants' names, and, when some
// meetings are video calls between online participants (no table), a last
// column "video" listing them. Columns go up to
// the largest table count of any slot; tables a slot does not have stay empty.
// tableName labels the columns; nil means TableLabel.
func WriteGrid(cw RowWriter, p *scheduler.Problem, g *scheduler.Grid, tableName func(int) string) error {
	if tableName == nil {
		tableName = TableLabel
	}
	if len(g.Placements) != len(p.Meetings) {
		return fmt.Errorf("%w: %d placements for %d meetings", scheduler.ErrInvalidGrid, len(g.Placements), len(p.Meetings))
	}
	names := make(map[string]string, len(p.Participants))
	for _, pt := range p.Participants {
		names[pt.ID] = displayName(pt)
	}
	maxTables := 0
	for _, sl := range p.Slots {
		maxTables = max(maxTables, sl.Tables)
	}
	cells := make([][]string, len(p.Slots))
	for s := range cells {
		cells[s] = make([]string, maxTables)
	}
	video := make([]string, len(p.Slots)) // meetings by video call, per slot
	anyVideo := false
	for i, m := range p.Meetings {
		pl := g.Placements[i]
		if !pl.Placed() {
			continue
		}
		if pl.Slot < len(p.Slots) && pl.Table < 0 {
			if video[pl.Slot] != "" {
				video[pl.Slot] += " | "
			}
			video[pl.Slot] += names[m.A] + " / " + names[m.B]
			anyVideo = true
			continue
		}
		if pl.Slot >= len(p.Slots) || pl.Table >= maxTables {
			return fmt.Errorf("%w: meeting %q at slot %d table %d is outside the grid", scheduler.ErrInvalidGrid, m.ID, pl.Slot, pl.Table)
		}
		cell := names[m.A] + " / " + names[m.B]
		if prev := cells[pl.Slot][pl.Table]; prev != "" {
			cell = prev + " | " + cell // a double booking stays visible
		}
		cells[pl.Slot][pl.Table] = cell
	}
	header := []string{"slot", "start", "end"}
	for t := 0; t < maxTables; t++ {
		header = append(header, tableName(t))
	}
	if anyVideo {
		header = append(header, "video")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for s, sl := range p.Slots {
		row := []string{fmt.Sprint(s + 1), timeCell(sl.Start), timeCell(sl.End)}
		row = append(row, cells[s]...)
		if anyVideo {
			row = append(row, video[s])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// WriteAgendaCSV writes one participant's agenda as CSV (see WriteAgenda).
func WriteAgendaCSV(w io.Writer, entries []AgendaEntry) error {
	return sheet.WriteFile(w, sheet.CSV, "agenda", func(sw *sheet.Writer) error { return WriteAgenda(sw, entries) })
}

// AgendaColumns are the columns of WriteAgenda.
// The last, video, is the video link of a meeting with an online
// participant.
var AgendaColumns = []string{"slot", "start", "end", "table", "partner", "organization", "status", "video"}

// WriteAgenda writes one participant's agenda, header first, one row per entry.
func WriteAgenda(cw RowWriter, entries []AgendaEntry) error {
	if err := cw.Write(AgendaColumns); err != nil {
		return err
	}
	for _, e := range entries {
		if err := cw.Write(AgendaRow(e)); err != nil {
			return err
		}
	}
	return nil
}

// AgendaRow is one agenda entry as the cells of AgendaColumns.
func AgendaRow(e AgendaEntry) []string {
	status := e.Status
	if status == "" {
		status = StatusConfirmed
	}
	return []string{fmt.Sprint(e.Slot + 1), timeCell(e.Start), timeCell(e.End), e.Table, e.Partner, e.Organization, string(status), e.VideoURL}
}

// timeCell writes a time in RFC 3339 with its zone offset, empty if unset.
func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
