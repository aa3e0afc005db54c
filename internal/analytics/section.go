package analytics

import "strings"

// SectionOf returns the section of a page: its path's first segment, without a query
// string ("/blog/2026/hello" and "/blog" are "/blog"; "/" is "/"). The section is
// counted at Record time as a dimension of its own, so its visitors are distinct
// visitors of the section, not a sum over its pages.
func SectionOf(path string) string {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if !strings.HasPrefix(path, "/") {
		return "/"
	}
	if i := strings.IndexByte(path[1:], '/'); i >= 0 {
		path = path[:i+1]
	}
	if path == "" {
		return "/"
	}
	return path
}
