package api

import (
	"errors"
	"fmt"
)

// The files a resource publishes (a job's metrics file and trainer logs, a
// dataset's or a model's files): each service's Download... fetches them,
// found by rule (README.md, "Uploading and downloading files"): every
// Get...Endpoint that answers signed URLs, and every field of the resource
// named ...SignedUrl, which the method reads with Get.

// ErrNoFile is the cause of a Download... whose resource exists but hands
// out no file (yet): a job still running has no metrics file. A resource
// that does not exist is ErrNotFound, an *Error, instead.
var ErrNoFile = errors.New("the resource has no such file (yet)")

// someFile passes on the files a Download... found (file name -> signed
// URL), or says that there are none with ErrNoFile.
func someFile(method, noun, id string, files map[string]string) (map[string]string, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("%s of %s %s: %w", method, noun, id, ErrNoFile)
	}
	return files, nil
}
