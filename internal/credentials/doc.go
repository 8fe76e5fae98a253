// Package credentials finds the credentials of a Client the way the
// Fireworks tools keep them, and keeps a session's token fresh.
//
// Resolve walks the credential chain once, in api.New: options, then a
// profile named explicitly (~/.fireworks/profiles/<name>/auth.ini and
// settings.ini), then the FIREWORKS_* environment variables, then the
// default ~/.fireworks/auth.ini and settings.ini. It reads the environment
// through an injected function and the files under an injected home
// directory, so that tests never see the developer's own credentials.
// Its Result records which source supplied each value, for a log line that
// never shows the value.
//
// Session holds a session token and its refresh token, and refreshes the
// token before it expires, or once after the server refused it, with one
// refresh shared by every concurrent caller. Source is what the request
// pipeline asks for a credential on each attempt when it may change: a
// Session, or the caller's own source.
//
// The package also parses the environment conventions of the Python SDK:
// FIREWORKS_CUSTOM_HEADERS and FIREWORKS_LOG.
//
// It is not an INI library: it reads the small key = value files that
// firectl writes, and refuses what it does not understand.
package credentials
