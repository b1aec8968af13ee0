// Package demotest cuts the demo event down for tests. The whole demo
// (300 organizations, 350 people) takes a minute to import under -race
// and matchmaking on it costs in proportion to the square of its people;
// tests that show behaviour, not scale, serve a cut of its first
// organizations, with their people, opportunities, requests and meetings.
// The demo is decoded once per test binary; every cut is a copy of its
// own. The demo package's own tests check the whole bundle.
package demotest
