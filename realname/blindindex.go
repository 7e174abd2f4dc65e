package realname

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/piaowu/wht93"
)

// BlindIndex is the HMAC-SHA256 of a document's type and canonical number under a
// host-held key: equal documents have equal indexes, so a store can count the
// tickets bought with one ID (the per-ID purchase limit of clause 6.3.2.8) and find
// a buyer's records without decrypting anything, while the index alone reveals
// nothing of the number to whoever lacks the key. It marshals as 64 lower-case
// hexadecimal digits. A BlindIndex is a value, safe for concurrent use.
type BlindIndex [32]byte

// ErrBlindIndex is the rule that a blind index is 64 hexadecimal digits.
var ErrBlindIndex = wht93.NewRule("realname.blind_index", "盲索引应为64位十六进制数", "blind index must be 64 hexadecimal digits")

// String returns the index as 64 lower-case hexadecimal digits.
func (x BlindIndex) String() string { return hex.EncodeToString(x[:]) }

// MarshalText returns the index as 64 lower-case hexadecimal digits.
func (x BlindIndex) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// UnmarshalText parses 64 hexadecimal digits.
func (x *BlindIndex) UnmarshalText(b []byte) error {
	v, err := ParseBlindIndex(string(b))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

// ParseBlindIndex parses 64 hexadecimal digits (either case).
func ParseBlindIndex(s string) (BlindIndex, error) {
	var x BlindIndex
	if len(s) != 2*len(x) {
		return x, ErrBlindIndex.At("blindIndex", strconv.Itoa(len(s))+" characters")
	}
	if _, err := hex.Decode(x[:], []byte(s)); err != nil {
		return BlindIndex{}, ErrBlindIndex.At("blindIndex", s)
	}
	return x, nil
}

// BlindIndexer computes blind indexes under one key. The key must be distinct
// from every encryption key of the [Keyring] (a key used for two purposes weakens
// both); the host supplies both from its secret store. Changing the key changes
// every index: stores that keep indexes recompute them from the decrypted numbers.
//
// A BlindIndexer is immutable and safe for concurrent use.
type BlindIndexer struct {
	key []byte
}

// ErrBlindIndexKey is the rule that a blind-index key has at least 32 bytes.
var ErrBlindIndexKey = wht93.NewRule("realname.blind_index_key", "盲索引密钥至少32字节", "blind-index key must have at least 32 bytes")

// NewBlindIndexer returns an indexer under key, of at least 32 bytes; the key is
// copied.
func NewBlindIndexer(key []byte) (*BlindIndexer, error) {
	if len(key) < 32 {
		return nil, ErrBlindIndexKey.At("key", strconv.Itoa(len(key))+" bytes")
	}
	return &BlindIndexer{key: append([]byte(nil), key...)}, nil
}

// blindIndexLabel separates these MACs from any other use of the key.
const blindIndexLabel = "wht93/realname/blind-index/v1\x00"

// Index returns the blind index of a validated document: the HMAC-SHA256 of a
// label, the type's name and the canonical number ([Document.Number]), so that
// numbers written with full-width digits, a lower-case x or, for a resident ID, in
// the 15-digit form all index alike, and the same number under two types does
// not. The zero Document has the index of an empty type and number.
func (b *BlindIndexer) Index(d Document) BlindIndex {
	m := hmac.New(sha256.New, b.key)
	m.Write([]byte(blindIndexLabel))
	m.Write([]byte(d.typ.String()))
	m.Write([]byte{0})
	m.Write([]byte(d.number))
	var x BlindIndex
	m.Sum(x[:0])
	return x
}
