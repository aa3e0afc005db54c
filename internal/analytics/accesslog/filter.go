package accesslog

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Reasons a line is not counted as a page view.
const (
	ReasonAsset   = "asset"    // a static file by extension (.css, .js, images, fonts…)
	ReasonMethod  = "method"   // not GET or HEAD (by default)
	ReasonStatus  = "status"   // an error, a redirect or another status not kept
	ReasonNonPage = "non-page" // /robots.txt, /favicon.ico, /.well-known/…, "*"
	ReasonBot     = "bot"      // a crawler or script, as the aggregator's classifier says
)

// Default filter settings.
var (
	DefaultAssetExtensions = []string{
		"css", "js", "mjs", "map", "json", "xml", "txt", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg",
		"ico", "bmp", "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mp3", "ogg", "wav",
		"pdf", "zip", "gz", "tgz", "dmg", "exe", "msi", "deb", "rpm", "apk", "wasm", "rss", "atom",
	}
	DefaultMethods      = []string{"GET", "HEAD"}
	DefaultStatus       = "200-299,304"
	DefaultNonPagePaths = []string{"/robots.txt", "/favicon.ico", "/sitemap.xml", "/ads.txt", "/humans.txt", "/security.txt",
		"/apple-touch-icon.png", "/apple-touch-icon-precomposed.png", "/browserconfig.xml", "/manifest.json",
		"/site.webmanifest", "/.well-known/*", "/wp-login.php", "/xmlrpc.php", "/wp-admin/*", "/.env", "/.git/*",
		"/server-status", "/healthz", "/health", "/ping"}
)

// Filter decides which parsed lines are page views. The zero value keeps everything;
// use NewFilter for the defaults.
type Filter struct {
	exts     map[string]struct{} // lower case, without the dot
	methods  [][]byte
	status   [][2]int // inclusive ranges kept; nil keeps every status
	exact    map[string]struct{}
	prefixes []string // from entries ending in "*"
}

// FilterOptions configure a Filter; nil slices and "" take the defaults. An explicit
// empty list (non-nil) turns a rule off.
type FilterOptions struct {
	AssetExtensions []string // without the dot: "css", "js"…
	Methods         []string
	Status          string   // ranges kept, e.g. "200-299,304"; "all" keeps every status
	NonPagePaths    []string // exact paths, or prefixes ending in "*"
}

// NewFilter builds a filter; errors name the bad status range.
func NewFilter(o FilterOptions) (*Filter, error) {
	if o.AssetExtensions == nil {
		o.AssetExtensions = DefaultAssetExtensions
	}
	if o.Methods == nil {
		o.Methods = DefaultMethods
	}
	if o.Status == "" {
		o.Status = DefaultStatus
	}
	if o.NonPagePaths == nil {
		o.NonPagePaths = DefaultNonPagePaths
	}
	f := &Filter{exts: map[string]struct{}{}, exact: map[string]struct{}{}}
	for _, e := range o.AssetExtensions {
		if e = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(e), ".")); e != "" {
			f.exts[e] = struct{}{}
		}
	}
	for _, m := range o.Methods {
		if m = strings.ToUpper(strings.TrimSpace(m)); m != "" {
			f.methods = append(f.methods, []byte(m))
		}
	}
	if o.Status != "all" {
		for _, r := range strings.Split(o.Status, ",") {
			r = strings.TrimSpace(r)
			if r == "" {
				continue
			}
			lo, hi, isRange := strings.Cut(r, "-")
			a, err1 := strconv.Atoi(lo)
			b := a
			var err2 error
			if isRange {
				b, err2 = strconv.Atoi(hi)
			}
			if err1 != nil || err2 != nil || a < 100 || b > 999 || a > b {
				return nil, fmt.Errorf("status range %q: want N or N-M with 100 ≤ N ≤ M ≤ 999", r)
			}
			f.status = append(f.status, [2]int{a, b})
		}
	}
	for _, p := range o.NonPagePaths {
		p = strings.TrimSpace(p)
		if strings.HasSuffix(p, "*") {
			f.prefixes = append(f.prefixes, strings.TrimSuffix(p, "*"))
		} else if p != "" {
			f.exact[p] = struct{}{}
		}
	}
	return f, nil
}

// Reason returns why e is not a page view, or "" when it is one. Bots are left to the
// aggregator, which classifies the user agent anyway.
func (f *Filter) Reason(e *Entry) string {
	if len(f.methods) > 0 {
		ok := false
		for _, m := range f.methods {
			if bytes.Equal(m, e.Method) {
				ok = true
				break
			}
		}
		if !ok && len(e.Method) > 0 {
			return ReasonMethod
		}
	}
	if f.status != nil && e.Status != 0 {
		ok := false
		for _, r := range f.status {
			if e.Status >= r[0] && e.Status <= r[1] {
				ok = true
				break
			}
		}
		if !ok {
			return ReasonStatus
		}
	}
	if len(e.Path) == 0 || e.Path[0] != '/' {
		return ReasonNonPage
	}
	if _, ok := f.exact[string(e.Path)]; ok {
		return ReasonNonPage
	}
	for _, p := range f.prefixes {
		if bytes.HasPrefix(e.Path, []byte(p)) {
			return ReasonNonPage
		}
	}
	if len(f.exts) > 0 {
		if ext := extension(e.Path); ext != nil {
			var buf [16]byte
			if len(ext) <= len(buf) {
				for i, c := range ext {
					if 'A' <= c && c <= 'Z' {
						c += 'a' - 'A'
					}
					buf[i] = c
				}
				if _, ok := f.exts[string(buf[:len(ext)])]; ok {
					return ReasonAsset
				}
			}
		}
	}
	return ""
}

// extension returns the extension of the path's last segment, without the dot.
func extension(path []byte) []byte {
	seg := path[bytes.LastIndexByte(path, '/')+1:]
	if i := bytes.LastIndexByte(seg, '.'); i >= 0 {
		return seg[i+1:]
	}
	return nil
}
