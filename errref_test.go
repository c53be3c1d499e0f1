package errref

import "flag"

// update rewrites golden files instead of comparing with them:
// go test -run TestRules -update (shared by every golden test of the package).
var update = flag.Bool("update", false, "rewrite golden files under testdata/")
