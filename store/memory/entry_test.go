package memory

import (
	"testing"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/store/storetest"
)

func TestEntries(t *testing.T) {
	storetest.TestEntries(t, func(*testing.T) checkin.Store { return NewEntries() })
}
