package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
)

// hostile are cells a participant could type into a profile.
var hostile = []string{
	"=cmd|'/Ccalc.exe'!A0@x.example", "+39 02 1234", "-2+3", "@SUM(A1)", "\tleading tab", "\rleading CR",
	"plain", "", "'quoted already", "Città di Castello; \"Milano\"", "=",
}

// readBack parses a written file into rows, whatever its format.
func readBack(t *testing.T, f Format, data []byte) [][]string {
	t.Helper()
	if f == XLSX {
		r, err := NewXLSXReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var rows [][]string
		for {
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				return rows
			}
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row)
		}
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, bom)))
	if f == CSVExcel {
		cr.Comma = ';'
	}
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestWriterNeutralizesEveryCellInEveryFormat(t *testing.T) {
	header := []string{"name", "email", "note"}
	var rows [][]string
	for _, h := range hostile {
		rows = append(rows, []string{h, "x" + h, h})
	}
	for _, f := range Formats {
		t.Run(f.String(), func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, f, "participants: all")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range append([][]string{header}, rows...) {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got, want := bytes.HasPrefix(buf.Bytes(), bom), f == CSVExcel; got != want {
				t.Errorf("byte-order mark present = %v, want %v", got, want)
			}
			if got := IsXLSX(buf.Bytes()); got != (f == XLSX) {
				t.Errorf("IsXLSX = %v for %s", got, f)
			}
			back := readBack(t, f, buf.Bytes())
			if len(back) != len(rows)+1 || !slices.Equal(back[0], header) {
				t.Fatalf("read back %d rows, header %q", len(back), back[0])
			}
			for i, row := range back[1:] {
				for j, cell := range row {
					if Dangerous(cell) {
						t.Errorf("row %d cell %d = %q is read as a formula", i+2, j+1, cell)
					}
					if got := Unneutralize(cell); got != rows[i][j] {
						t.Errorf("row %d cell %d: unneutralized %q, wrote %q", i+2, j+1, got, rows[i][j])
					}
				}
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
		err  bool
	}{{"", CSV, false}, {"CSV", CSV, false}, {"csv-excel", CSVExcel, false}, {"csv-it", CSVExcel, false},
		{"xlsx", XLSX, false}, {"xls", CSV, true}, {"ods", CSV, true}} {
		got, err := ParseFormat(tc.in)
		if (err != nil) != tc.err || (err == nil && got != tc.want) {
			t.Errorf("ParseFormat(%q) = %v, %v", tc.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrFormat) {
			t.Errorf("ParseFormat(%q) error %v is not ErrFormat", tc.in, err)
		}
		if err == nil {
			if back, _ := ParseFormat(got.String()); back != got {
				t.Errorf("%v does not round-trip through its name", got)
			}
		}
	}
}

func TestXLSXReaderLinesCountEmptyRows(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, XLSX, "s")
	for _, r := range [][]string{{"a", "b"}, {}, {"", ""}, {"x", "y"}} {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := NewXLSXReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var last []string
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(row) > 0 && row[0] != "" {
			last = row
		}
		if row != nil && slices.Equal(row, []string{"x", "y"}) && r.Line() != 4 {
			t.Errorf("row x,y read as line %d, want 4", r.Line())
		}
	}
	if !slices.Equal(last, []string{"x", "y"}) {
		t.Errorf("last row %q", last)
	}
}

func TestXLSXReaderRefusesOtherData(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("a,b\n1,2\n"), []byte("PK\x03\x04garbage")} {
		if _, err := NewXLSXReader(bytes.NewReader(data)); !errors.Is(err, ErrNotXLSX) {
			t.Errorf("NewXLSXReader(%q) error = %v, want ErrNotXLSX", data, err)
		}
	}
}

func FuzzNeutralize(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Neutralize(s)
		if Dangerous(n) {
			t.Fatalf("Neutralize(%q) = %q is still a formula", s, n)
		}
		if Unneutralize(n) != s && !(len(s) > 1 && s[0] == '\'' && Dangerous(s[1:])) {
			t.Fatalf("Unneutralize(Neutralize(%q)) = %q", s, Unneutralize(n))
		}
	})
}

// BenchmarkWrite writes a grid-sized table (2,000 rows of 12 cells) in each
// format; CSV is the baseline of the same run.
func BenchmarkWrite(b *testing.B) {
	row := make([]string, 12)
	for i := range row {
		row[i] = fmt.Sprintf("Participant %d / Organization %d", i, i*7)
	}
	for _, f := range Formats {
		b.Run(f.String(), func(b *testing.B) {
			for b.Loop() {
				w, err := NewWriter(io.Discard, f, "grid")
				if err != nil {
					b.Fatal(err)
				}
				for range 2000 {
					if err := w.Write(row); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// FuzzXLSXReader feeds arbitrary bytes (seeded with real workbooks) to the
// XLSX reader: it returns rows or an error, never panics or hangs.
func FuzzXLSXReader(f *testing.F) {
	for _, rows := range [][][]string{{{"a", "b"}, {"=1", ""}}, {{"organization", "kind"}, {}, {"x"}}} {
		var buf bytes.Buffer
		w, _ := NewWriter(&buf, XLSX, "s")
		for _, r := range rows {
			w.Write(r)
		}
		w.Close()
		f.Add(buf.Bytes())
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewXLSXReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrNotXLSX) {
				t.Fatalf("error %v is not ErrNotXLSX", err)
			}
			return
		}
		defer r.Close()
		for n := 0; n < 10000; n++ {
			if _, err := r.Read(); err != nil {
				return
			}
		}
	})
}
