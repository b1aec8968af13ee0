// Package httperr is the one place that says what an error means over
// HTTP, for the JSON API and the pages alike: Classify maps an error to a
// status and the field at fault through a table of typed errors and
// sentinels (errors.As, errors.Is; never the error's text), and Write
// answers an RFC 9457 problem document.
package httperr
