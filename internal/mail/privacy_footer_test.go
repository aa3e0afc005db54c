package mail_test

import (
	"testing"

	"github.com/candor-dev/candor/internal/mail"
)

// Promise (issue 10 §2): every mail to a person ends with where the privacy notice is.
func TestPrivacyFooter(t *testing.T) {
	for _, in := range []string{"Hello.", "Hello.\n"} {
		if got := mail.WithPrivacyFooter(in, "https://candor.example/"); got != "Hello.\n\n-- \nPrivacy: https://candor.example/privacy\n" {
			t.Errorf("WithPrivacyFooter(%q) = %q", in, got)
		}
	}
}
