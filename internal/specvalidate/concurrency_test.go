package specvalidate

import (
	"errors"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentValidation runs 64 goroutines that route and validate
// requests and responses at once; run it with -race. Each goroutine builds
// its own requests (an *http.Request is not shared between handlers) and
// shares the one *Spec, as the fake Gateway's handlers will.
func TestConcurrentValidation(t *testing.T) {
	const goroutines, rounds = 64, 50
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Load() // concurrent first calls must share one compilation
			if err != nil {
				errs <- err
				return
			}
			for i := range rounds {
				c := verdictCases[(g+i)%len(verdictCases)]
				req, body := c.request("")
				got, _ := specVerdict(s, req, body)
				if got != c.want {
					errs <- errors.New(c.name + ": got " + string(got) + ", want " + string(c.want))
					return
				}
				r, err := s.FindRoute("GET", "/v1/accounts/acc/secrets/s1")
				if err != nil {
					errs <- err
					return
				}
				header := http.Header{"Content-Type": {"application/json"}}
				if err := s.ValidateResponse(r, 200, header, []byte(`{"name":"n","keyName":"K"}`)); err != nil {
					errs <- err
					return
				}
				if err := s.ValidateResponse(r, 200, header, []byte(`{"keyName":"K"}`)); !errors.Is(err, ErrInvalid) {
					errs <- errors.New("a Secret without name validated")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
