package readmesection

import "testing"

// TestSet: the text between the markers is replaced, the text around them
// kept; a document without the section, or with its markers in the wrong
// order, is an error.
func TestSet(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
		wantErr         bool
	}{
		{"empty section", "# T\n\n## Performance\n\n<!-- bench:start -->\n<!-- bench:end -->\n",
			"# T\n\n## Performance\n\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\n", false},
		{"old table replaced, text around kept", "a\n<!-- bench:start -->\nold\nold\n<!-- bench:end -->\nb\n",
			"a\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\nb\n", false},
		{"another section is not this one", "<!-- other:start -->\nx\n<!-- other:end -->\n", "", true},
		{"no markers", "# T\n", "", true},
		{"markers in the wrong order", "<!-- bench:end -->\n<!-- bench:start -->\n", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Set(tc.doc, "bench", "NEW\n")
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("got %q, %v; want %q (error: %v)", got, err, tc.want, tc.wantErr)
			}
			if err == nil {
				if section, _ := Get(got, "bench"); section != "NEW\n" {
					t.Errorf("Get after Set = %q", section)
				}
			}
		})
	}
}
