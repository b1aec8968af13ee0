// Package testbed holds the scheduler's benchmark inputs, kept apart from
// the solver: ParseDZN reads the instances of the Business-to-Business
// Meeting Scheduling benchmark (MiniZinc data files of Bofill et al., JAIR
// 74, 2022) and Synthetic generates large, realistic brokerage events.
// Both return a scheduler.Problem.
package testbed

import "errors"

// ErrParse reports malformed input to ParseDZN; the wrapping error names
// the line and the field.
var ErrParse = errors.New("testbed: parse error")
