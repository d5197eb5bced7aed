package logstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// ErrOtherAccount matches (with errors.Is) every *AccountError.
var ErrOtherAccount = errors.New("store holds another account's logs")

// AccountError reports a sync, repair or load of a store that holds another
// account's logs: a different API URL, or a token whose fingerprint differs
// from the one recorded. Nothing was written to the store.
type AccountError struct {
	Store     string // the store's folder
	StoreURL  string // the API URL the store holds the logs of
	URL       string // the API URL asked for
	SameToken bool   // the token matches; only the URL differs
}

// Error says what differs and how to go on, never showing a token.
func (e *AccountError) Error() string {
	what := "a different access token"
	if e.StoreURL != e.URL {
		what = fmt.Sprintf("API %s, not %s", e.StoreURL, e.URL)
		if !e.SameToken {
			what += ", and a different access token"
		}
	}
	return fmt.Sprintf("logstore: %s holds the logs of another account (%s); nothing was written. "+
		"If this is the same account with a new token or address, sync once with -rebind "+
		"(logstore.SyncOptions.Rebind) to record it; otherwise use another store folder", e.Store, what)
}

// Is makes errors.Is(err, ErrOtherAccount) true.
func (e *AccountError) Is(target error) bool { return target == ErrOtherAccount }

// account is whose logs a sync fetches: the API base URL and the token.
// It lives only in memory.
type account struct {
	url   string
	token cryptolens.Token
}

// accountOf is the account c reads, its URL spelled as its one identity
// spells it (cryptolens.AccountURL: no user info).
func accountOf(c *cryptolens.Client) *account {
	return &account{url: c.Account().URL, token: c.Token}
}

// accountRecord is how _lenslog.json records the account a store holds:
// the API URL (as cryptolens.AccountURL spells it, never with user info),
// and an HMAC-SHA256 of the token keyed with a random salt
// made for this record, so the file tells whether a token is the same
// without holding anything that helps find it.
type accountRecord struct {
	APIURL    string    `json:"api_url"`
	Salt      string    `json:"salt"`       // 32 random bytes, hex
	TokenHMAC string    `json:"token_hmac"` // HMAC-SHA256(salt, token), hex
	Recorded  time.Time `json:"recorded"`
}

// recordOf makes a new record of a, with a fresh salt.
func recordOf(a *account) (*accountRecord, error) {
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("record account: %w", err)
	}
	return &accountRecord{APIURL: a.url, Salt: hex.EncodeToString(salt),
		TokenHMAC: hex.EncodeToString(fingerprint(salt, a.token)), Recorded: time.Now().UTC().Truncate(time.Second)}, nil
}

func fingerprint(salt []byte, tok cryptolens.Token) []byte {
	h := hmac.New(sha256.New, salt)
	h.Write([]byte(tok))
	return h.Sum(nil)
}

// matches compares a with the record; sameToken says whether the tokens
// match whatever the URLs.
func (r *accountRecord) matches(a *account) (ok, sameToken bool) {
	salt, err1 := hex.DecodeString(r.Salt)
	want, err2 := hex.DecodeString(r.TokenHMAC)
	sameToken = err1 == nil && err2 == nil && hmac.Equal(fingerprint(salt, a.token), want)
	return sameToken && cryptolens.AccountURL(r.APIURL) == a.url, sameToken
}

// stale reports whether the record spells its URL otherwise than
// cryptolens.AccountURL does (as records written before the account had
// one identity may: with user info, say), so the next sync rewrites it.
func (r *accountRecord) stale() bool { return r.APIURL != cryptolens.AccountURL(r.APIURL) }

// checkAccount fails with an *AccountError when the store records another
// account than a. A store that records none (new, or made before lenslog
// recorded accounts) passes: its first sync adopts the account. A nil a
// (no account known, as for a store opened with Open) passes too.
func (s *Store) checkAccount(a *account) error {
	if a == nil {
		return nil
	}
	sf, err := readStoreFile(s.dir)
	if err != nil {
		return fmt.Errorf("logstore: %s: %w", s.dir, err)
	}
	if sf.Account == nil {
		return nil
	}
	if ok, same := sf.Account.matches(a); !ok {
		return &AccountError{Store: s.dir, StoreURL: cryptolens.AccountURL(sf.Account.APIURL), URL: a.url, SameToken: same}
	}
	return nil
}

// recordAccount records a as the account the store holds, replacing any
// earlier record. The caller holds the lock.
func (s *Store) recordAccount(a *account) error {
	sf, err := readStoreFile(s.dir)
	if err != nil {
		return fmt.Errorf("logstore: %s: %w", s.dir, err)
	}
	if sf.Account, err = recordOf(a); err != nil {
		return err
	}
	if err := writeStoreFile(s.dir, sf); err != nil {
		return fmt.Errorf("logstore: record the account of %s: %w", s.dir, err)
	}
	return nil
}

// Rebind records c's account (API URL and token fingerprint) as the one
// the store holds, replacing the record: for the same account with a new
// token or address, once the user has confirmed it is the same account.
// It proves it first, as SyncOptions.Rebind does (ErrNotSameAccount). It
// waits for a running sync, as Sync does.
func (s *Store) Rebind(ctx context.Context, c *cryptolens.Client) error {
	lk, err := lockStore(ctx, s.dir)
	if err != nil {
		return fmt.Errorf("logstore: rebind: %w", err)
	}
	defer lk.unlock()
	src := clientSources(c)
	if err := s.proveSameAccount(ctx, src); err != nil {
		return err
	}
	return s.recordAccount(src.account)
}

// recorded reports whether the store records an account in the form this
// lenslog writes (a stale record counts as none: the sync rewrites it).
func (s *Store) recorded() (bool, error) {
	sf, err := readStoreFile(s.dir)
	if err != nil {
		return false, err
	}
	return sf.Account != nil && !sf.Account.stale(), nil
}
