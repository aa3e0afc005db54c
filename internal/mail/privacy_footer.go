package mail

import "strings"

// PrivacyLine is the line every mail to a person carries in its footer: where the
// vendor's privacy notice is (issue 10 §2). publicURL is Candor's public base URL.
func PrivacyLine(publicURL string) string {
	return "Privacy: " + strings.TrimSuffix(publicURL, "/") + "/privacy"
}

// WithPrivacyFooter ends a plain-text mail with a signature-separated footer holding
// PrivacyLine.
func WithPrivacyFooter(text, publicURL string) string {
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text + "\n-- \n" + PrivacyLine(publicURL) + "\n"
}
