// Package demo ships the demo event of matchgrid, so that the product runs
// without any external data: "Milano Health Crossroads 2027 – Life Sciences
// Brokerage Event", a fictitious two-day partnering event in Milan with about
// 300 organizations, 350 participants, 600 opportunities and 500 meeting
// requests.
//
// The organizations are real: they and their profile texts, keywords and
// sectors come from Horizon Europe health consortia in CORDIS (projects that
// start before 2025). So do the topics of the opportunities and of the
// meeting requests' messages. The people, their e-mail addresses, job
// titles, availability, participation types and the requests' states and
// times are invented, reproducibly (Build uses a fixed seed).
//
// Bundle decodes the embedded file event.json.gz. To regenerate it after
// changing Build, run from the module root, with the shared CORDIS data in
// ../shared/data/cordis-health:
//
//	go run ./cmd/matchgrid gen-demo --cordis ../shared/data/cordis-health --out demo/event.json.gz
//
// The tests check that the committed file is what Build produces.
//
// Source: CORDIS, European Commission (reuse under Commission Decision
// 2011/833/EU).
package demo
