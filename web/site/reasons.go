package site

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/matchgrid/matchgrid/profiles"
)

// reasonCatalogs translate the store's validation reasons
// (profiles.FieldError): per language, the English format to the
// language's format, which takes the same arguments. English needs none.
type reasonCatalogs map[string]map[string]string

// loadReasons reads locales/reasons/LANG.toml.
func loadReasons() (reasonCatalogs, error) {
	files, err := fs.Glob(localeFS, "locales/reasons/*.toml")
	if err != nil {
		return nil, err
	}
	out := reasonCatalogs{}
	for _, f := range files {
		b, err := fs.ReadFile(localeFS, f)
		if err != nil {
			return nil, err
		}
		formats := map[string]string{}
		if err := toml.Unmarshal(b, &formats); err != nil {
			return nil, fmt.Errorf("site: reasons %s: %w", f, err)
		}
		out[strings.TrimSuffix(path.Base(f), ".toml")] = formats
	}
	return out, nil
}

// reason says why fe's value was refused, in lang when the catalog knows
// the reason's format, else as the store said it (English).
func (tr *translator) reason(lang string, fe *profiles.FieldError) string {
	format := fe.Format
	if format == "" { // built without NewFieldError: the reason is its own format
		format = fe.Reason
	}
	if t, ok := tr.reasons[lang][format]; ok {
		return fmt.Sprintf(t, fe.Args...)
	}
	return fe.Reason
}

// fieldMessage tells a form's author which field and value fe refused and
// why, in lang.
func (tr *translator) fieldMessage(lang string, fe *profiles.FieldError) string {
	return tr.text(lang, "error.field", map[string]any{"Field": fe.Field, "Value": fmt.Sprint(fe.Value), "Reason": tr.reason(lang, fe)})
}
