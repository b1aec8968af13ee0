package matchgrid

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"github.com/matchgrid/matchgrid/sheet"
)

// BenchmarkExportDemo writes the demo event's spreadsheets (after
// scheduling its grid) in every format; plain CSV is the baseline of the
// same run. rows/s counts the rows written.
func BenchmarkExportDemo(b *testing.B) {
	eng := openDemo(b)
	if _, err := eng.Schedule(context.Background(), "mhc-2027", quick); err != nil {
		b.Fatal(err)
	}
	for _, x := range []Export{ExportGrid, ExportAgendas, ExportParticipants} {
		for _, f := range sheet.Formats {
			b.Run(string(x)+"/"+f.String(), func(b *testing.B) {
				var buf bytes.Buffer
				rows := 0
				for b.Loop() {
					buf.Reset()
					if err := eng.WriteExport(&buf, "mhc-2027", x, f); err != nil {
						b.Fatal(err)
					}
					rows++
				}
				var twin bytes.Buffer // rows counted on the CSV of the same export
				if err := eng.WriteExport(&twin, "mhc-2027", x, sheet.CSV); err != nil {
					b.Fatal(err)
				}
				records, err := csv.NewReader(&twin).ReadAll()
				if err != nil {
					b.Fatal(err)
				}
				n := len(records)
				b.ReportMetric(float64(n*rows)/b.Elapsed().Seconds(), "rows/s")
				b.ReportMetric(float64(buf.Len()), "bytes")
			})
		}
	}
}
