// Command nethttp is the baseline of the import-cost measurement: a
// program that makes one request with raw net/http.
package main

import (
	"fmt"
	"net/http"
)

func main() {
	req, err := http.NewRequest(http.MethodGet, "https://api.fireworks.ai/v1/accounts", nil)
	fmt.Println(req.URL.Host, err)
}
