package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestSetMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	tests := []struct {
		name          string
		mb            int64
		env, gogc     string
		want          int64
		wantGCPercent int
	}{
		{"flag", 1536, "", "", 1536 << 20, gcPercentUnderLimit},
		{"GOGC wins", 1536, "", "150", 1536 << 20, 100},
		{"none", 0, "", "", math.MaxInt64, 100},
		{"GOMEMLIMIT wins", 1536, "700MiB", "", 42 << 20, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tt.env)
			t.Setenv("GOGC", tt.gogc)
			debug.SetMemoryLimit(42 << 20) // what the runtime read from $GOMEMLIMIT at start, here
			debug.SetGCPercent(100)
			if got := setMemoryLimit(tt.mb); got != tt.want {
				t.Errorf("setMemoryLimit(%d) with GOMEMLIMIT=%q: limit %d, want %d", tt.mb, tt.env, got, tt.want)
			}
			if got := debug.SetGCPercent(100); got != tt.wantGCPercent {
				t.Errorf("setMemoryLimit(%d) with GOGC=%q: GC percent %d, want %d", tt.mb, tt.gogc, got, tt.wantGCPercent)
			}
		})
	}
}
