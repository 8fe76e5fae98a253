// Command api imports the SDK as a program that calls the API does
// (package api), for the import-cost measurement.
package main

import (
	"fmt"

	"github.com/fireworks-gateway/go-sdk/api"
)

func main() {
	c, err := api.New(api.WithAPIKey("fw-hello-key-0123456789"), api.WithAccount("hello"))
	fmt.Println(c != nil, err, api.UserAgent)
}
