package client_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piaowu/wht93/client"
)

func envelopeSeeds(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/envelopes/*.*")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	if len(out) == 0 {
		t.Fatal("no vectors")
	}
	return out
}

func TestDecodeEnvelopeVectors(t *testing.T) {
	for name, b := range envelopeSeeds(t) {
		env, err := client.DecodeEnvelope(b)
		switch {
		case strings.HasPrefix(name, "ok-"):
			if err != nil || !env.OK() {
				t.Errorf("%s: %+v %v", name, env, err)
			}
		case strings.HasPrefix(name, "err-"):
			if err != nil || env.OK() || env.Code < 4000 || env.Msg == "" {
				t.Errorf("%s: %+v %v", name, env, err)
			}
		case strings.HasPrefix(name, "bad-"):
			if err == nil && env.OK() {
				t.Errorf("%s accepted as success", name)
			}
		}
	}
}

// FuzzDecodeEnvelope: the decoder never panics; what it accepts re-encodes to an
// envelope that decodes to the same code, success and msg.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, b := range envelopeSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := client.DecodeEnvelope(b)
		if err != nil {
			return
		}
		if env.Code < 0 {
			t.Fatalf("negative code %d", env.Code)
		}
		if env.Data != nil && !json.Valid(env.Data) {
			t.Fatalf("data is not JSON: %q", env.Data)
		}
		out, err := json.Marshal(env)
		if err != nil {
			t.Fatal(err)
		}
		again, err := client.DecodeEnvelope(out)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", out, err)
		}
		if again.Code != env.Code || again.Success != env.Success || again.Msg != env.Msg {
			t.Fatalf("round trip %+v → %+v", env, again)
		}
	})
}
