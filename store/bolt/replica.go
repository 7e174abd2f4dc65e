package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/piaowu/wht93/checkin"
	"github.com/piaowu/wht93/checkin/node"
	"github.com/piaowu/wht93/codes"
)

// The replica's bucket, "replica", holds its format ("format": "1") and a
// nested bucket per session, named by its session code, holding
//
//	cursors  the sync cursors: Passes, Down, Up, 8 bytes big-endian each
//	pass     a nested bucket: ticket code → pass (checkin.Pass.MarshalBinary)
const (
	replicaBucket = "replica"
	replicaFormat = "1"
)

var bReplicaCursors, bReplicaPass = []byte("cursors"), []byte("pass")

// Replica is the [node.ReplicaStore] of a bolt file: a LAN node's replica of
// passes and its sync cursors, kept in the same file as its entries. A Save
// is one bbolt transaction (passes and cursors together, or neither), durable
// when it returns and group-committed with every other change of its [DB].
// Take it from [DB.Replica]; it lives as long as its DB. A Replica is safe
// for concurrent use.
type Replica struct {
	db *DB
}

var _ node.ReplicaStore = (*Replica)(nil)

// Replica returns the file's replica store, creating its bucket on first use.
// It fails when the file holds a replica of a format this version does not
// know.
func (db *DB) Replica() (*Replica, error) {
	err := db.update(context.Background(), func(tx *bbolt.Tx) error {
		_, _, err := portRoot(tx, replicaBucket, replicaFormat, "a replica")
		return err
	})
	if err != nil {
		return nil, checkinErr(err)
	}
	return &Replica{db: db}, nil
}

// Load implements [node.ReplicaStore]. A record that does not decode, or a
// pass saved under another ticket or of another session, fails the call with
// an [node.ErrReplica] or [checkin.ErrEncoding] violation naming it.
func (r *Replica) Load(ctx context.Context, session codes.SessionCode) ([]checkin.Pass, node.Cursors, error) {
	if err := ctx.Err(); err != nil {
		return nil, node.Cursors{}, err
	}
	if session.IsZero() {
		return nil, node.Cursors{}, node.ErrReplica.Atf("session", "", "缺少场次编码", "the session code is missing")
	}
	var ps []checkin.Pass
	var c node.Cursors
	err := r.db.view(func(tx *bbolt.Tx) error {
		ps, c = nil, node.Cursors{}
		root := bucket(tx, replicaBucket)
		if root == nil {
			return nil
		}
		sb := root.Bucket([]byte(session.String()))
		if sb == nil {
			return nil
		}
		if v := sb.Get(bReplicaCursors); v != nil {
			// 24 bytes: Passes, Down, Up; 32: and the Epoch (files
			// written before epochs have 24, read as epoch 0).
			if len(v) != 24 && len(v) != 32 {
				return node.ErrReplica.Atf("replica."+session.String()+".cursors", fmt.Sprintf("%x", v), "同步游标应为24或32字节", "the sync cursors must be 24 or 32 bytes")
			}
			c = node.Cursors{Passes: binary.BigEndian.Uint64(v), Down: binary.BigEndian.Uint64(v[8:]), Up: binary.BigEndian.Uint64(v[16:])}
			if len(v) == 32 {
				c.Epoch = binary.BigEndian.Uint64(v[24:])
			}
		}
		pb := sb.Bucket(bReplicaPass)
		if pb == nil {
			return nil
		}
		return pb.ForEach(func(k, v []byte) error {
			field := "replica." + session.String() + ".pass[" + string(k) + "]"
			var p checkin.Pass
			if err := p.UnmarshalBinary(v); err != nil {
				return fmt.Errorf("bolt: %s: %w", field, err)
			}
			if p.Ticket.String() != string(k) || p.Ticket.Session() != session {
				return node.ErrReplica.Atf(field, p.Ticket.String(), "演出票副本记录在另一张票或另一场次名下", "the pass is saved under another ticket or session")
			}
			ps = append(ps, p)
			return nil
		})
	})
	if err != nil {
		return nil, node.Cursors{}, checkinErr(err)
	}
	return ps, c, nil
}

// Save implements [node.ReplicaStore]: ps and c in one durable transaction.
// Bad input ([node.CheckReplicaPage]) fails with every violation and changes
// nothing. If ctx ends first, Save returns ctx.Err() and the change may
// still be committed (whole).
func (r *Replica) Save(ctx context.Context, session codes.SessionCode, ps []checkin.Pass, c node.Cursors) error {
	if err := node.CheckReplicaPage(session, ps); err != nil {
		return err
	}
	vals := make([][]byte, len(ps))
	for i := range ps {
		b, err := ps[i].MarshalBinary()
		if err != nil {
			return err
		}
		vals[i] = b
	}
	var cur [32]byte
	binary.BigEndian.PutUint64(cur[:], c.Passes)
	binary.BigEndian.PutUint64(cur[8:], c.Down)
	binary.BigEndian.PutUint64(cur[16:], c.Up)
	binary.BigEndian.PutUint64(cur[24:], c.Epoch)
	err := r.db.update(ctx, func(tx *bbolt.Tx) error { return putReplica(tx, session, ps, vals, cur[:]) })
	return checkinErr(err)
}

// putReplica writes the passes ps (encoded as vals) and the cursors cur of
// session in tx.
func putReplica(tx *bbolt.Tx, session codes.SessionCode, ps []checkin.Pass, vals [][]byte, cur []byte) error {
	root := tx.Bucket([]byte(replicaBucket))
	if root == nil {
		return errors.New("bolt: replica bucket missing")
	}
	sb, err := root.CreateBucketIfNotExists([]byte(session.String()))
	if err != nil {
		return err
	}
	pb, err := sb.CreateBucketIfNotExists(bReplicaPass)
	if err != nil {
		return err
	}
	for i := range ps {
		if err := pb.Put([]byte(ps[i].Ticket.String()), vals[i]); err != nil {
			return err
		}
	}
	return sb.Put(bReplicaCursors, cur)
}
