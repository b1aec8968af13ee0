package site

import "testing"

func TestTemplatesParse(t *testing.T) {
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	set, err := parsePages(tr.funcs("it"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(pageNames, "widget") {
		if set[name] == nil {
			t.Errorf("page %s has no template set", name)
		}
		root := "layout"
		if name == "widget" {
			root = "widget"
		}
		if set[name].Lookup(root) == nil {
			t.Errorf("page %s has no %q template", name, root)
		}
	}
}
