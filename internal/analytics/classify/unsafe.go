package classify

import "unsafe"

// bytesString views b as a string without copying; the result must not
// outlive b or escape the caller.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
