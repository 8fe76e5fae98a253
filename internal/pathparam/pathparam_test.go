package pathparam_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/pathparam"
)

// TestCheckRefusesValuesThatChangeTheResource: each kind of value that
// would address another resource is refused, with its own reason, and the
// error names the parameter but never quotes the value.
func TestCheckRefusesValuesThatChangeTheResource(t *testing.T) {
	cases := []struct {
		name, value, reason string
	}{
		{"empty", "", "empty value"},
		{"dot", ".", "dot segment"},
		{"dot dot", "..", "dot segment"},
		{"invalid UTF-8", "sk-\xff-value", "not valid UTF-8"},
		{"a lone continuation byte at the end", "secret-value\x80", "not valid UTF-8"},
		{"slash", "a/b", "contains '/'"},
		{"slash first", "/secret-value", "contains '/'"},
		{"slash last", "secret-value/", "contains '/'"},
		{"backslash", `a\b`, `contains '\'`},
		{"colon", "dep:undelete", "contains ':'"},
		{"percent", "a%2Fb", "contains '%'"},
		{"NUL", "a\x00b", "control character"},
		{"newline", "secret-value\n", "control character"},
		{"DEL", "a\x7fb", "control character"},
		{"C1 control NEL (also white space)", "a\u0085b", "control character"},
		{"space", "a b", "white space"},
		{"no-break space", "a\u00a0b", "white space"},
		{"line separator", "a\u2028b", "white space"},
		{"ideographic space", "a\u3000b", "white space"},
		{"the first bad character decides", "a b/c", "white space"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := pathparam.Check("secret_id", tc.value)
			var pe *pathparam.Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *pathparam.Error", err)
			}
			if pe.Param != "secret_id" || !strings.Contains(pe.Reason, tc.reason) {
				t.Errorf("Param %q, Reason %q; want secret_id and a reason that says %q", pe.Param, pe.Reason, tc.reason)
			}
			if want := "invalid path parameter secret_id: " + pe.Reason; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
			if len(tc.value) >= 3 && strings.Contains(err.Error(), tc.value) {
				t.Error("the error quotes the value")
			}
		})
	}
}

// TestCheckAcceptsPlainIDs: ids as the Gateway makes them, and any other
// text that stays in its segment, pass.
func TestCheckAcceptsPlainIDs(t *testing.T) {
	for _, v := range []string{
		"sec", "my-secret_1", "a.b", "...", ".hidden", "..x", "x..", "A", "0",
		"résumé", "密钥", "key-🔑", "a+b=c", "a~b", "a@b", "a,b;c", "a'b\"c", "(x)", "[x]", "{x}", "a?b", "a#b", "a&b",
	} {
		if err := pathparam.Check("secret_id", v); err != nil {
			t.Errorf("%q refused: %v", v, err)
		}
	}
}

// TestCheckPassesValuesThatAreNotStrings: numbers and booleans cannot
// break a path segment.
func TestCheckPassesValuesThatAreNotStrings(t *testing.T) {
	if err := pathparam.Check("page", 0); err != nil {
		t.Errorf("int: %v", err)
	}
	if err := pathparam.Check("n", int64(-1)); err != nil {
		t.Errorf("int64: %v", err)
	}
	if err := pathparam.Check("flag", false); err != nil {
		t.Errorf("bool: %v", err)
	}
}
