// Package node runs the check-in servers of clause 6.3.6.1: the online node
// that devices ask in online mode (在线模式), and LAN nodes (局域网模式) — a local
// server holding a replica of the session's passes, recording entries
// durably in its own store, and syncing with the online side incrementally by
// cursor: pass changes and entries down, its own entries up. The modes switch
// without losing or double-counting an entry (entries carry ids; stores count
// an id once); a node that takes over from the other mode syncs first. When
// two LAN nodes cut off from each other admit the same ticket, both entries
// count, the conflict is flagged (Config.OnConflict, Node.Conflicts) and
// resolved the same way at every node by checkin.Resolve.
//
// The decision itself is checkin's pure Checker; a Node adds the store, the
// book, the monitors and the sync. Handler serves a node over HTTP (JSON for
// devices, binary pages for sync) and Client talks to one.
//
//	online, _ := node.New(node.Config{Name: "online", Mode: checkin.NetOnline, Policy: p,
//		Verifier: v, Store: pgEntries, Book: book})
//	http.Handle("/", node.Handler(online))
//
//	lan, _ := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: p,
//		Verifier: v, Store: boltEntries, Flow: flow, Devices: devices})
//	up, _ := node.NewClient("https://tickets.example.cn/gate", nil)
//	report, err := lan.Sync(ctx, up) // before taking over, and then every few seconds
//	d, err := lan.Scan(ctx, scan)    // or devices through node.Handler(lan)
//
// A LAN node keeps its replica of passes in memory, and, with
// Config.Replica (a [ReplicaStore]: bolt's DB.Replica, in the same file as
// its entries), on disk with its sync cursors: after a restart (a power cut)
// it decides at once from the saved replica and its durable entries, even
// with the online side out of reach, and its next Sync pulls only what
// changed after the saved cursors. Without one it pulls every pass again
// with Sync (80,000 passes in well under a second) before admitting anyone.
//
//	db, _ := bolt.Open("/var/lib/gate/lan-east.db", nil)
//	entries, _ := db.Entries()
//	replica, _ := db.Replica()
//	lan, _ := node.New(node.Config{Name: "lan-east", Mode: checkin.NetLAN, Policy: p,
//		Verifier: v, Store: entries, Replica: replica})
//
// A restarted upstream's book numbers its changes afresh, under a new epoch
// ([checkin.Book.Epoch]) that each page of passes carries (over HTTP in the
// Wht93-Book-Epoch header). A node whose pass cursor is of another epoch reads
// every pass again from cursor 0 and says so in SyncReport.Reread, so that a
// refund made while the two were apart is never skipped.
package node
