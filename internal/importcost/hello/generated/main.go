// Command generated imports the bare generated client (package gen), for
// the import-cost measurement.
package main

import (
	"fmt"

	"github.com/fireworks-gateway/go-sdk/gen"
)

func main() {
	c, err := gen.NewClientWithResponses("https://api.fireworks.ai")
	fmt.Println(c != nil, err, gen.SpecVersion)
}
