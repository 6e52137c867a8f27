package main

import (
	"os"
	"testing"

	"github.com/openecs/openecs/internal/testbin"
)

func TestMain(m *testing.M) {
	// The SDK and the HTTP clients honour HTTP_PROXY even for loopback.
	for _, v := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		os.Unsetenv(v)
	}
	os.Setenv("NO_PROXY", "127.0.0.1,localhost")
	code := m.Run()
	testbin.Cleanup() // the openecs binary the process tests built
	os.Exit(code)
}
