package main

import (
	"strings"
	"unicode"
)

// The generated doc comments are written by rule, so their English is too:
// the words of a Go name as a phrase, and the article before a word.

// goWords splits a Go name into its words: at a lower-case letter or digit
// followed by an upper-case one, and before the last capital of a run of
// capitals that a lower-case letter follows ("APIKeys": API, Keys;
// "DeploymentShapeVersions": Deployment, Shape, Versions; "A100": A100).
func goWords(name string) []string {
	rs := []rune(name)
	var words []string
	start := 0
	for i := 1; i < len(rs); i++ {
		prev, cur := rs[i-1], rs[i]
		split := unicode.IsUpper(cur) && (unicode.IsLower(prev) || unicode.IsDigit(prev))
		if unicode.IsUpper(prev) && unicode.IsUpper(cur) && i+1 < len(rs) && unicode.IsLower(rs[i+1]) {
			split = true
		}
		if split {
			words = append(words, string(rs[start:i]))
			start = i
		}
	}
	if start < len(rs) {
		words = append(words, string(rs[start:]))
	}
	return words
}

// phrase turns a Go name into lower-case words, keeping initialisms
// ("DeploymentShapeVersions": "deployment shape versions"; "APIKeys":
// "API keys").
func phrase(name string) string {
	words := goWords(name)
	for i, w := range words {
		if !isInitialism(w) {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

// isInitialism reports whether a word is written in capitals, as an
// initialism is ("API", "URL", "RLOR"): two letters or more, none lower-case.
func isInitialism(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// anWords are the words that take "an" although a consonant letter starts
// them, and aWords those that take "a" although a vowel letter does: the
// article follows the sound.
var (
	anWords = map[string]bool{"hour": true, "honest": true, "honor": true, "heir": true, "http": true, "https": true}
	aWords  = map[string]bool{"one": true, "once": true, "user": true, "usage": true, "unit": true, "unique": true, "uniform": true, "union": true, "universal": true, "url": true, "use": true, "useful": true, "usual": true, "euro": true, "european": true}
)

// vowelSoundLetters are the letters whose spoken name starts with a vowel
// sound: an initialism that starts with one takes "an" ("an API", "an
// RLOR job", "an HTTP request"; "a URL", "a GPU").
const vowelSoundLetters = "AEFHILMNORSX"

// article returns "a" or "an" for the phrase that follows it, by the sound
// of its first word.
func article(next string) string {
	word, _, _ := strings.Cut(strings.TrimSpace(next), " ")
	word = strings.TrimLeftFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	word, _, _ = strings.Cut(word, "-") // "user-specified" sounds as "user"
	if word == "" {
		return "a"
	}
	lower := strings.ToLower(word)
	switch {
	case anWords[lower]:
		return "an"
	case aWords[lower]:
		return "a"
	case isInitialism(word):
		if strings.ContainsRune(vowelSoundLetters, unicode.ToUpper([]rune(word)[0])) {
			return "an"
		}
		return "a"
	case strings.ContainsRune("aeiou", rune(lower[0])):
		return "an"
	}
	return "a"
}

// withArticle returns next after its article ("an account", "a user").
func withArticle(next string) string { return article(next) + " " + next }

// capitalized returns s with its first letter in upper case.
func capitalized(s string) string {
	if s == "" {
		return s
	}
	rs := []rune(s)
	rs[0] = unicode.ToUpper(rs[0])
	return string(rs)
}

// sentence returns s ending as a sentence does: with a full stop when it
// ends with no punctuation ("Get Secret": "Get Secret.").
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsRune(".!?:", rune(s[len(s)-1])) {
		return s
	}
	return s + "."
}
