// Package sample is doccheck's test input: each name says whether it is
// documented.
package sample

// Documented is documented.
type Documented struct{}

type Undocumented struct{}

// DocumentedMethod is documented.
func (Documented) DocumentedMethod() {}

// The blank line detaches this comment, as go doc reads it.

func (Documented) DetachedMethod() {}

func (*Documented) UndocumentedMethod() {}

func (undocumentedHidden) Method() {}

type undocumentedHidden struct{}

// Grouped values are documented by their group's comment.
const (
	GroupedA = 1
	GroupedB = 2
)

const (
	// SpecDocumented has its own comment.
	SpecDocumented    = 3
	LineCommented     = 4 // LineCommented has a line comment.
	UndocumentedConst = 5
)

var UndocumentedVar int

// Iface is documented; its methods must be too.
type Iface interface {
	// Documented is documented.
	Documented()
	UndocumentedIfaceMethod()
}

func UndocumentedFunc() {}

func unexportedFunc() {}
