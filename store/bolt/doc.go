// Package bolt implements the SDK's ports on one bbolt file
// (go.etcd.io/bbolt): the embedded default, for a host that runs one process
// and wants nothing to install. The file is created with mode 0600 and is
// crash-safe: a change is durable when its call returns, and a process killed
// at any moment leaves a file that opens cleanly with every acknowledged
// change in it.
//
//	db, err := bolt.Open("/var/lib/ticketing/wht93.db", nil)
//	if err != nil { … }
//	defer db.Close()
//	q, err := db.Queue() // the report queue (report.Queue)
//
// One [DB] per file and process: the file is locked while open. Each port
// keeps its data under a top-level bucket of its own (see [DB]) and every
// change goes through the DB's group commit, so that concurrent callers share
// fsyncs. The ports a DB serves are listed by its methods ([DB.Queue], …).
//
// [OpenQueue] opens a file for the queue alone.
package bolt
