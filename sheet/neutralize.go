package sheet

import "strings"

// formulaStarts are the first characters that make a spreadsheet
// application read a cell as a formula (or as a DDE call).
const formulaStarts = "=+-@\t\r"

// Neutralize returns the cell as a spreadsheet shows it as text: a value
// starting with '=', '+', '-', '@', a tab or a carriage return gets a
// leading apostrophe. Other values are returned unchanged.
func Neutralize(cell string) string {
	if cell != "" && strings.IndexByte(formulaStarts, cell[0]) >= 0 {
		return "'" + cell
	}
	return cell
}

// Unneutralize undoes Neutralize: an apostrophe followed by a character
// Neutralize guards is dropped. Importers call it on every cell so that an
// exported file imports back unchanged.
func Unneutralize(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && strings.IndexByte(formulaStarts, cell[1]) >= 0 {
		return cell[1:]
	}
	return cell
}

// Dangerous reports whether a cell, as written to a file, would be read as
// a formula: what a test of an export asserts never happens.
func Dangerous(cell string) bool {
	return cell != "" && strings.IndexByte(formulaStarts, cell[0]) >= 0
}
