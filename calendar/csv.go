package calendar

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/scheduler"
)

// WriteGridCSV writes the organizer's grid: one row per slot, one column per
// table, each cell "A / B" with the participants' names, and, when some
// meetings are video calls between online participants (no table), a last
// column "video" listing them. Columns go up to
// the largest table count of any slot; tables a slot does not have stay empty.
// tableName labels the columns; nil means TableLabel.
func WriteGridCSV(w io.Writer, p *scheduler.Problem, g *scheduler.Grid, tableName func(int) string) error {
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
	cw := csv.NewWriter(w)
	header := []string{"slot", "start", "end"}
	for t := 0; t < maxTables; t++ {
		header = append(header, safeCell(tableName(t)))
	}
	if anyVideo {
		header = append(header, "video")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for s, sl := range p.Slots {
		row := []string{fmt.Sprint(s + 1), timeCell(sl.Start), timeCell(sl.End)}
		for _, c := range cells[s] {
			row = append(row, safeCell(c))
		}
		if anyVideo {
			row = append(row, safeCell(video[s]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteAgendaCSV writes one participant's agenda, one row per entry; the
// last column is the video link of an online meeting.
func WriteAgendaCSV(w io.Writer, entries []AgendaEntry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"slot", "start", "end", "table", "partner", "organization", "status", "video"}); err != nil {
		return err
	}
	for _, e := range entries {
		status := e.Status
		if status == "" {
			status = StatusConfirmed
		}
		row := []string{fmt.Sprint(e.Slot + 1), timeCell(e.Start), timeCell(e.End), safeCell(e.Table),
			safeCell(e.Partner), safeCell(e.Organization), string(status), safeCell(e.VideoURL)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// timeCell writes a time in RFC 3339 with its zone offset, empty if unset.
func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// safeCell keeps spreadsheet applications from running a name as a
// formula (CSV injection) by prefixing such cells with an apostrophe.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
