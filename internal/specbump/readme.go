package main

import (
	"os"
	"regexp"
)

// specVersionMention matches where prose names the spec's version, in
// whatever README the SDK has: "Gateway spec (version 4.259.0)",
// "gateway-spec 4.259.0" (the User-Agent), "spec version 4.259.0",
// "spec 4.259.0". Group 1 is the version. Versions of anything else (Go,
// oapi-codegen) and the x-spec-version field do not match.
var specVersionMention = regexp.MustCompile(`(?i)\bspec(?:\s*\(\s*version|\s+version)?\s+(\d+\.\d+\.\d+)\b`)

// readmeVersionMentions returns the spec versions that text mentions, with
// their byte offsets ([start, end) of the version).
func readmeVersionMentions(text []byte) [][2]int {
	var out [][2]int
	for _, m := range specVersionMention.FindAllSubmatchIndex(text, -1) {
		out = append(out, [2]int{m[2], m[3]})
	}
	return out
}

// rewriteREADMEVersions makes every mention of the spec's version in the
// README say version, so that a bump cannot leave the prose behind the
// spec. It returns how many mentions it changed; a missing README is not
// an error.
func rewriteREADMEVersions(path, version string) (int, error) {
	text, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var out []byte
	last, changed := 0, 0
	for _, m := range readmeVersionMentions(text) {
		if string(text[m[0]:m[1]]) == version {
			continue
		}
		out = append(append(out, text[last:m[0]]...), version...)
		last = m[1]
		changed++
	}
	if changed == 0 {
		return 0, nil
	}
	out = append(out, text[last:]...)
	return changed, writeFileKeepingMode(path, out)
}
