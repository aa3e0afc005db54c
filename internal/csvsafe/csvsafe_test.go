package csvsafe

import "testing"

// Promise: an export cannot smuggle a formula into a spreadsheet, also not after a
// separator the spreadsheet may split on (issue 12, item 6: "Bob;=1+1;").
func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-2": "'-2", "@cmd": "'@cmd", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "ana@example.com": "ana@example.com", "a=b": "a=b",
		"Bob;=1+1;": "Bob;'=1+1;", "a,+1": "a,'+1", "a\t-1": "a\t'-1", "a; \"@x": "a; \"'@x", "x\n=1": "x\n'=1",
		"\t=1": "'\t'=1", " =1": " '=1",
	} {
		got := Cell(in)
		if got != want {
			t.Errorf("Cell(%q) = %q; want %q", in, got, want)
		}
		if !Safe(got) {
			t.Errorf("Safe(Cell(%q)) = false", in)
		}
	}
	for _, bad := range []string{"=1", "Bob;=1+1;", "a, @x", "\tx", "a;\"-1"} {
		if Safe(bad) {
			t.Errorf("Safe(%q) = true", bad)
		}
	}
}
