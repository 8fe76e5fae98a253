package api

// Ptr returns a pointer to a copy of v: for the optional fields of the
// generated types, which are pointers.
//
//	gen.UpdateSecretBody{KeyName: "K", Value: api.Ptr("sk-new-value")}
func Ptr[T any](v T) *T { return &v }
