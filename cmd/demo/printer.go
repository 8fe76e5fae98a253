package main

import (
	"fmt"
	"io"
)

// printer writes the demo's lines and keeps the first write error, which
// run returns: output that cannot be written fails the demo rather than
// vanishing.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.w.Write(b)
	p.err = err
	return n, err
}

// printf and println write to p; an error is kept by Write.
func (p *printer) printf(format string, args ...any) { _, _ = fmt.Fprintf(p, format, args...) }
func (p *printer) println(args ...any)               { _, _ = fmt.Fprintln(p, args...) }
