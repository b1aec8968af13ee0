// Package sat is the compact CDCL SAT solver of the scheduler's exact
// phase: clauses and native cardinality constraints ("at most k of these
// literals are true") over DIMACS-numbered variables, incremental in the one
// direction an optimisation needs (constraints are added and cardinality
// bounds lowered between calls to Solve), solution-guided through SetHint,
// and deterministic: the same calls give the same answers, with conflicts
// and propagation ticks (Ticks) as the measures of work.
package sat
