package realname

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"

	"github.com/piaowu/wht93"
)

// Field encryption (clause 7.1.1.3: buyers' personal data is stored encrypted).
//
// A [Keyring] encrypts with AES-256-GCM under its current key and decrypts with any
// key it holds, found by the key id written in the ciphertext, so that keys can be
// rotated: add a new key, make it current, re-encrypt old values with
// [Keyring.Rotate] at leisure, then drop the old key.
//
// Ciphertext format, version 1 (all of it is authenticated):
//
//	offset  size  content
//	0       1     version, 0x01
//	1       1     n, the length of the key id (1–64)
//	2       n     key id, ASCII letters, digits, '.', '_', '-'
//	2+n     12    nonce, random
//	14+n    rest  AES-256-GCM ciphertext of the plaintext, then its 16-byte tag
//
// The associated data of GCM is "wht93/realname/v1", a zero byte, the header
// (version, n, key id), then the field name and the record id, each preceded by
// its length as a uvarint. A ciphertext therefore decrypts only for the field and
// record it was made for: swapping the encrypted ID numbers of two buyers, or an ID
// number and a name, fails with [ErrDecrypt].
//
// A key encrypts at most 2^32 values (random 96-bit nonces, NIST SP 800-38D);
// rotate well before.

const (
	cipherVersion = 1
	nonceSize     = 12
	tagSize       = 16
	maxKeyID      = 64
	adLabel       = "wht93/realname/v1\x00"
)

var (
	// ErrKey is the rule that a keyring's keys are 32 bytes (AES-256) under valid
	// ids, and that its current key is one of them.
	ErrKey = wht93.NewRule("realname.key", "密钥无效", "invalid key")
	// ErrCiphertext is the rule that a ciphertext has the format of version 1.
	ErrCiphertext = wht93.NewRule("realname.ciphertext", "密文格式错误", "malformed ciphertext")
	// ErrKeyUnknown is the rule that a ciphertext's key is in the keyring.
	ErrKeyUnknown = wht93.NewRule("realname.key_unknown", "密文所用密钥不在密钥环中", "ciphertext key is not in the keyring")
	// ErrDecrypt is the rule that a ciphertext authenticates: it fails for a wrong
	// key, a different field or record, or any change to the bytes.
	ErrDecrypt = wht93.NewRule("realname.decrypt", "解密失败：密文被篡改或不属于该字段", "decryption failed: ciphertext altered or made for another field")
)

// Keyring holds the AES-256 keys of field encryption under their ids and the id of
// the key that encrypts. Keys come from the host (a secret store, a KMS); nonces
// from the io.Reader given to [NewKeyring] (crypto/rand.Reader in production).
//
// A Keyring is immutable after construction and safe for concurrent use when its
// random source is (crypto/rand.Reader is).
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
	rand    io.Reader
}

// NewKeyring returns a keyring that encrypts with the key current and decrypts
// with any of keys (id → 32-byte AES-256 key). Key ids are 1 to 64 characters of
// ASCII letters, digits, '.', '_' and '-'; they are written into every ciphertext,
// so they must not be secret. The key bytes are not kept (the AES key schedule is).
func NewKeyring(rand io.Reader, current string, keys map[string][]byte) (*Keyring, error) {
	if rand == nil {
		return nil, ErrKey.Atf("rand", "", "随机数来源为空", "no random source")
	}
	k := &Keyring{current: current, aeads: make(map[string]cipher.AEAD, len(keys)), rand: rand}
	var vs wht93.Violations
	for id, key := range keys {
		if !validKeyID(id) {
			vs = append(vs, ErrKey.Atf("keys", id, "密钥标识应为1至64位字母、数字、.、_或-",
				"key id must be 1 to 64 ASCII letters, digits, '.', '_' or '-'"))
			continue
		}
		if len(key) != 32 {
			vs = append(vs, ErrKey.Atf("keys["+id+"]", strconv.Itoa(len(key))+" bytes",
				"AES-256密钥应为32字节", "an AES-256 key has 32 bytes"))
			continue
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		k.aeads[id] = aead
	}
	if _, ok := keys[current]; !ok {
		vs = append(vs, ErrKey.Atf("current", current, "当前密钥不在密钥环中", "the current key is not among the keys"))
	}
	if err := vs.Err(); err != nil {
		return nil, err
	}
	return k, nil
}

func validKeyID(id string) bool {
	if len(id) == 0 || len(id) > maxKeyID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !isAlnum(c) && !(c >= 'a' && c <= 'z') && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// Current returns the id of the key that encrypts.
func (k *Keyring) Current() string { return k.current }

// Encrypt encrypts plaintext under the current key for the named field of the
// record (for example "buyer.idNumber" and the buyer's id): the ciphertext
// decrypts only with the same field and record. It fails only when the random
// source does.
func (k *Keyring) Encrypt(plaintext []byte, field, record string) ([]byte, error) {
	id := k.current
	hlen := 2 + len(id)
	out := make([]byte, hlen+nonceSize, hlen+nonceSize+len(plaintext)+tagSize)
	out[0] = cipherVersion
	out[1] = byte(len(id))
	copy(out[2:], id)
	nonce := out[hlen : hlen+nonceSize]
	if _, err := io.ReadFull(k.rand, nonce); err != nil {
		return nil, fmt.Errorf("realname: reading nonce: %w", err)
	}
	return k.aeads[id].Seal(out, nonce, plaintext, associatedData(out[:hlen], field, record)), nil
}

// Decrypt decrypts a ciphertext made by [Keyring.Encrypt] (with this keyring's
// current key or any other it holds) for the same field and record. It returns
// [ErrCiphertext] for bytes that are not a version-1 ciphertext, [ErrKeyUnknown]
// for a key the keyring lacks, and [ErrDecrypt] when authentication fails.
func (k *Keyring) Decrypt(ciphertext []byte, field, record string) ([]byte, error) {
	c, err := parseCiphertext(ciphertext)
	if err != nil {
		return nil, err
	}
	aead, ok := k.aeads[c.keyID]
	if !ok {
		return nil, ErrKeyUnknown.At("ciphertext", c.keyID)
	}
	plain, err := aead.Open(nil, c.nonce, c.sealed, associatedData(c.header, field, record))
	if err != nil {
		return nil, ErrDecrypt.At("ciphertext", field)
	}
	return plain, nil
}

// Rotate returns the ciphertext re-encrypted under the current key, and whether
// it changed: a ciphertext already under the current key is returned as it is.
func (k *Keyring) Rotate(ciphertext []byte, field, record string) ([]byte, bool, error) {
	id, err := CiphertextKeyID(ciphertext)
	if err != nil {
		return nil, false, err
	}
	if id == k.current {
		return ciphertext, false, nil
	}
	plain, err := k.Decrypt(ciphertext, field, record)
	if err != nil {
		return nil, false, err
	}
	out, err := k.Encrypt(plain, field, record)
	clear(plain)
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// CiphertextKeyID returns the id of the key a ciphertext was made with, without
// decrypting it: for finding the values still under an old key.
func CiphertextKeyID(ciphertext []byte) (string, error) {
	c, err := parseCiphertext(ciphertext)
	if err != nil {
		return "", err
	}
	return c.keyID, nil
}

type ciphertextParts struct {
	header []byte
	keyID  string
	nonce  []byte
	sealed []byte
}

func parseCiphertext(b []byte) (ciphertextParts, error) {
	bad := func(zh, en string) (ciphertextParts, error) {
		return ciphertextParts{}, ErrCiphertext.Atf("ciphertext", strconv.Itoa(len(b))+" bytes", zh, en)
	}
	if len(b) < 2 {
		return bad("密文过短", "ciphertext too short")
	}
	if b[0] != cipherVersion {
		return bad("密文版本不支持："+strconv.Itoa(int(b[0])), "unsupported ciphertext version "+strconv.Itoa(int(b[0])))
	}
	n := int(b[1])
	if n == 0 || n > maxKeyID {
		return bad("密钥标识长度错误", "bad key id length")
	}
	hlen := 2 + n
	if len(b) < hlen+nonceSize+tagSize {
		return bad("密文过短", "ciphertext too short")
	}
	id := string(b[2:hlen])
	if !validKeyID(id) {
		return bad("密钥标识含非法字符", "bad key id")
	}
	return ciphertextParts{header: b[:hlen], keyID: id, nonce: b[hlen : hlen+nonceSize], sealed: b[hlen+nonceSize:]}, nil
}

// associatedData binds a ciphertext to its header, field and record.
func associatedData(header []byte, field, record string) []byte {
	ad := make([]byte, 0, len(adLabel)+len(header)+2*binary.MaxVarintLen64+len(field)+len(record))
	ad = append(ad, adLabel...)
	ad = append(ad, header...)
	ad = binary.AppendUvarint(ad, uint64(len(field)))
	ad = append(ad, field...)
	ad = binary.AppendUvarint(ad, uint64(len(record)))
	ad = append(ad, record...)
	return ad
}
