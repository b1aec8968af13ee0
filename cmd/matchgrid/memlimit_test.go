package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestSetMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	tests := []struct {
		name string
		mb   int64
		env  string
		want int64
	}{
		{"flag", 1536, "", 1536 << 20},
		{"none", 0, "", math.MaxInt64},
		{"GOMEMLIMIT wins", 1536, "700MiB", 42 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tt.env)
			debug.SetMemoryLimit(42 << 20) // what the runtime read from $GOMEMLIMIT at start, here
			if got := setMemoryLimit(tt.mb); got != tt.want {
				t.Errorf("setMemoryLimit(%d) with GOMEMLIMIT=%q: limit %d, want %d", tt.mb, tt.env, got, tt.want)
			}
		})
	}
}
