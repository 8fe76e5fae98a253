package credentials

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// jwtExpiry returns the exp claim of a JWT, read without verifying the
// signature (the server does that; the client only wants to know when to
// refresh), or ok false when token is not a JWT with an exp.
func jwtExpiry(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp *json.Number `json:"exp"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Exp == nil {
		return time.Time{}, false
	}
	secs, err := claims.Exp.Float64()
	if err != nil || secs <= 0 || secs > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(int64(secs), 0), true
}
