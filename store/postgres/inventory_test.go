package postgres_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/piaowu/wht93/inventory"
	"github.com/piaowu/wht93/store/postgres"
	"github.com/piaowu/wht93/store/storetest"
)

func openInventory(t testing.TB, db *sql.DB, schema string) *postgres.Inventory {
	t.Helper()
	inv, err := postgres.OpenInventory(context.Background(), db, &postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestInventory(t *testing.T) {
	db := testDB(t)
	storetest.TestInventory(t, func(t *testing.T) inventory.Store {
		return openInventory(t, db, freshSchema(t, db))
	})
}

func TestInventoryReopen(t *testing.T) {
	db := testDB(t)
	storetest.TestInventoryReopen(t, func(t *testing.T) (inventory.Store, func() inventory.Store) {
		schema := freshSchema(t, db)
		return openInventory(t, db, schema), func() inventory.Store {
			// A new pool and a new store, as a restarted process has.
			pool, err := sql.Open("pgx", os.Getenv(dsnEnv))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { pool.Close() })
			return openInventory(t, pool, schema)
		}
	})
}

// TestInventoryShared sells one session through three pools, as three processes.
func TestInventoryShared(t *testing.T) {
	db := testDB(t)
	storetest.TestInventoryShared(t, func(t *testing.T) []inventory.Store {
		schema := freshSchema(t, db)
		var sts []inventory.Store
		for range 3 {
			pool, err := sql.Open("pgx", os.Getenv(dsnEnv))
			if err != nil {
				t.Fatal(err)
			}
			pool.SetMaxOpenConns(10)
			t.Cleanup(func() { pool.Close() })
			sts = append(sts, openInventory(t, pool, schema))
		}
		return sts
	})
}
