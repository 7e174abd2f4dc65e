package memory_test

import (
	"testing"

	"github.com/piaowu/wht93/report"
	"github.com/piaowu/wht93/store/memory"
	"github.com/piaowu/wht93/store/storetest"
)

func TestQueue(t *testing.T) {
	storetest.TestQueue(t, func(*testing.T) report.Queue { return memory.NewQueue() })
}

func TestQueueShared(t *testing.T) {
	storetest.TestQueueShared(t, func(*testing.T) []report.Queue {
		q := memory.NewQueue()
		return []report.Queue{q, q, q}
	})
}
