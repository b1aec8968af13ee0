// Package browsertest holds the browser tests of the pages that need a
// package of their own to stay within a package's time budget: every page
// in both languages checked with axe-core, the participant's tools, and the
// widget in another origin's iframe. They drive Debian's headless Chromium
// through web/internal/webtest; without Chromium they are skipped (failed
// when $CI is set).
package browsertest
