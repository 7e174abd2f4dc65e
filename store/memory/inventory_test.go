package memory_test

import (
	"testing"

	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/store/storetest"
)

func TestInventory(t *testing.T) {
	storetest.TestInventory(t, func(*testing.T) inventory.Store { return memory.NewInventory() })
}
