package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/store/bolt"
	"github.com/piaowu/wht93/store/storetest"
)

func openInventory(t *testing.T, path string) (*bolt.Inventory, *bolt.DB) {
	t.Helper()
	inv, db, err := bolt.OpenInventory(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return inv, db
}

func TestInventory(t *testing.T) {
	storetest.TestInventory(t, func(t *testing.T) inventory.Store {
		inv, db := openInventory(t, filepath.Join(t.TempDir(), "inventory.db"))
		t.Cleanup(func() { db.Close() })
		return inv
	})
}

func TestInventoryReopen(t *testing.T) {
	storetest.TestInventoryReopen(t, func(t *testing.T) (inventory.Store, func() inventory.Store) {
		path := filepath.Join(t.TempDir(), "inventory.db")
		inv, db := openInventory(t, path)
		t.Cleanup(func() { db.Close() })
		return inv, func() inventory.Store {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			inv, db = openInventory(t, path)
			return inv
		}
	})
}
