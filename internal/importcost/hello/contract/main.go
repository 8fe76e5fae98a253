// Command contract imports the SDK with contract mode (package
// api/contract, which carries the spec and a validator), for the
// import-cost measurement.
package main

import (
	"fmt"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/contract"
)

func main() {
	c, err := api.New(api.WithAPIKey("fw-hello-key-0123456789"), contract.WithValidation())
	fmt.Println(c != nil, err)
}
