package config

import (
	"testing"

	"github.com/candor-dev/candor/internal/privacy"
)

// docs/privacy.md names, for each configurable retention rule, its setting and default:
// they are the ones this package has.
func TestRetentionRulesNameRealSettings(t *testing.T) {
	defaults := map[string]string{}
	for _, s := range settings {
		defaults[s.name] = s.def
	}
	for _, r := range privacy.Rules {
		if r.Setting == "" {
			continue
		}
		def, ok := defaults[r.Setting]
		if !ok {
			t.Errorf("retention rule %s names --%s, which is no setting", r.Name, r.Setting)
		} else if def != r.Default {
			t.Errorf("retention rule %s says --%s defaults to %q; the setting's default is %q", r.Name, r.Setting, r.Default, def)
		}
	}
}
