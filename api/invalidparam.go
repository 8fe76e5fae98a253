package api

import (
	"fmt"

	"github.com/fireworks-gateway/go-sdk/internal/pathparam"
)

// InvalidParamError reports a parameter refused before any request was
// sent: a path parameter empty, a dot segment, or holding a character (such
// as '/' or ':') that would make the request address another resource; or
// a query parameter the operation requires left out (nil params) or, for a
// string or a time, left at its zero value. It never quotes the value: a
// caller may pass a secret by mistake. Match it with errors.As; the
// generated client of Client.Raw refuses the same values, and errors.As
// finds an *InvalidParamError in its errors too.
type InvalidParamError struct {
	// In is where the parameter goes: "path" or "query".
	In string
	// Param is the parameter's name in the spec, such as "secret_id".
	Param string
	// Reason says what is wrong with the value.
	Reason string
}

// Error reports where the parameter goes, its name, and what is wrong.
func (e *InvalidParamError) Error() string {
	return fmt.Sprintf("invalid %s parameter %s: %s", e.In, e.Param, e.Reason)
}

// publicParamError turns the *pathparam.Error that a generated request
// builder returns (as it is, unwrapped) into an *InvalidParamError; other
// errors are returned as they are.
func publicParamError(err error) error {
	if pe, ok := err.(*pathparam.Error); ok {
		return &InvalidParamError{In: pe.In, Param: pe.Param, Reason: pe.Reason}
	}
	return err
}

// The errors of Client.Raw's generated builders are *pathparam.Error, a
// type of an internal package; pathparam lets errors.As fill an
// *InvalidParamError from one, through this conversion.
func init() {
	pathparam.AsPublic = func(e *pathparam.Error, target any) bool {
		t, ok := target.(**InvalidParamError)
		if ok {
			*t = &InvalidParamError{In: e.In, Param: e.Param, Reason: e.Reason}
		}
		return ok
	}
}

// checkAccount refuses an account id that cannot be the account_id path
// segment (see pathparam), as an *InvalidParamError.
func checkAccount(id string) error {
	return publicParamError(pathparam.Check(accountParam, id))
}
