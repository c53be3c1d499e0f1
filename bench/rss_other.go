//go:build !unix

package main

import "os"

// peakRSS is unknown outside Unix.
func peakRSS(*os.ProcessState) int64 { return 0 }
