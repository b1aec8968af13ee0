package site_test

import (
	"html"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// sameInBoth are the messages whose Italian is the English on purpose
// (loanwords, codes, the brand); any other message the Italian catalog
// leaves as the English is an untranslated one.
var sameInBoth = map[string]bool{
	"followup.hook_http": true, "followup.hook_last": true, "followup.url": true, "label.online": true,
	"label.startup": true, "layout.footer": true, "layout.menu": true, "layout.title": true, "logo.label": true,
	"nav.agenda": true, "nav.marketplace": true, "parts.col.email": true, "parts.col.id": true, "parts.col.link": true,
	"parts.err_file": true, "sheet.csv": true, "sheet.xlsx": true, "title.marketplace": true, "title.matchmaking": true,
	"parts.matchmaking": true,
}

// catalog reads a message catalog: one-form messages as their text, plural
// ones as their forms joined by a newline.
func catalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile("locales/active." + lang + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			out[id] = v
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				out[id] += v[k].(string) + "\n"
			}
		}
	}
	return out
}

// placeholder is a template action inside a message.
var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

// englishChunks are the pieces of English messages that a page in Italian
// must not show: the text between a message's placeholders that no
// Italian message contains.
func englishChunks(t *testing.T) []string {
	en, it := catalog(t, "en"), catalog(t, "it")
	var allIt strings.Builder
	for id, txt := range it {
		allIt.WriteString(txt + "\n")
		if en[id] == txt && !sameInBoth[id] {
			t.Errorf("message %s is not translated: %q", id, txt)
		}
	}
	var chunks []string
	for id, txt := range en {
		if sameInBoth[id] {
			continue
		}
		for _, line := range strings.Split(txt, "\n") {
			for _, c := range placeholder.Split(line, -1) {
				c = strings.Trim(c, " :,.()")
				if len(c) >= 3 && !strings.Contains(allIt.String(), c) {
					chunks = append(chunks, c)
				}
			}
		}
	}
	if len(chunks) < 300 {
		t.Errorf("only %d English chunks: the catalog reading is broken", len(chunks))
	}
	return chunks
}

// hiddenParts are what a person does not read on a page, or reads as
// code (an API's event names, commands), not words.
var hiddenParts = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<!--.*?-->|<code>.*?</code>`)

var (
	visibleAttr = regexp.MustCompile(`(?:placeholder|title|alt|aria-label|data-confirm)="([^"]*)"`)
	tag         = regexp.MustCompile(`<[^>]*>`)
)

// visibleNodes are a page's texts between tags and its visible attributes,
// unescaped and trimmed.
func visibleNodes(page string) []string {
	page = hiddenParts.ReplaceAllString(page, " ")
	var nodes []string
	for _, m := range visibleAttr.FindAllStringSubmatch(page, -1) {
		nodes = append(nodes, m[1])
	}
	nodes = append(nodes, tag.Split(page, -1)...)
	for i, n := range nodes {
		nodes[i] = strings.Trim(html.UnescapeString(n), " \n\t:,.()·")
	}
	return nodes
}

// messageID is what a page shows for a message missing from the catalogs
// (file names such as grid.csv aside).
var messageID = regexp.MustCompile(`\b(?:agenda|chart|dash|error|export|flash|followup|grid|index|label|layout|login|market|me|mm|nav|opp|org|partials|parts|report|req|sheet|status_of|sug|time|title|video|widget)\.[a-z_-]+\b`)

// checkItalian fails when a page rendered in Italian shows English text of
// the catalogs or a message ID. A text or attribute that is an English
// chunk fails; so does one that contains a chunk of three words or more
// (shorter ones may be part of the data, e.g. an opportunity's title).
func checkItalian(t *testing.T, path, page string, chunks []string) {
	t.Helper()
	nodes := visibleNodes(page)
	whole := map[string]bool{}
	for _, n := range nodes {
		whole[n] = true
	}
	text := strings.Join(nodes, "\n")
	for _, c := range chunks {
		if whole[c] || (strings.Count(c, " ") >= 2 && strings.Contains(text, c)) {
			t.Errorf("%s in Italian shows English %q", path, c)
		}
	}
	for _, id := range messageID.FindAllString(text, -1) {
		if !regexp.MustCompile(`\.(csv|xlsx|zip|ics)$`).MatchString(id) {
			t.Errorf("%s shows message ID %q", path, id)
		}
	}
}
