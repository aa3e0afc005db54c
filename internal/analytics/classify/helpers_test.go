package classify

import "unsafe"

// aliases reports whether the bytes of a lie within those of b. One-byte
// strings are ignored: the runtime serves every one-byte string from one
// static table, so two of them may share memory without either keeping the
// other alive.
func aliases(a, b string) bool {
	if len(a) <= 1 || len(b) <= 1 {
		return false
	}
	pa, pb := uintptr(unsafe.Pointer(unsafe.StringData(a))), uintptr(unsafe.Pointer(unsafe.StringData(b)))
	return pa >= pb && pa < pb+uintptr(len(b))
}
