package profiles

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
)

// The change record: every committed Update that changed something leaves
// its list of changes under its generation, so that derived data which
// fell behind (a search index after a crash) catches up by replaying the
// changes it missed instead of being rebuilt from scratch.
//
//	changes/<generation, 8 bytes big-endian> -> JSON []Change
//
// Only the latest changeRecordKeep generations are kept; what falls behind
// further than that has to rebuild.
var bucketChanges = []byte("changes")

// changeRecordKeep is how many generations the change record keeps.
// A variable so that the package's tests can prune with few commits.
var changeRecordKeep uint64 = 10000

// ErrChangesPruned means the change record no longer reaches back to the
// generation asked for (or never did: the store predates the record, or
// it is older than the caller's generation).
var ErrChangesPruned = errors.New("change record does not reach back that far")

// recordChanges writes the changes of generation g and drops the record
// that falls out of the window; it runs inside the writing transaction.
func (tx *Tx) recordChanges(g uint64, changes []Change) error {
	b, err := tx.tx.CreateBucketIfNotExists(bucketChanges)
	if err != nil {
		return fmt.Errorf("change record: %w", err)
	}
	raw, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("change record: %w", err)
	}
	if err := b.Put(generationKey(g), raw); err != nil {
		return fmt.Errorf("change record: %w", err)
	}
	if g > changeRecordKeep {
		return b.Delete(generationKey(g - changeRecordKeep))
	}
	return nil
}

func generationKey(g uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], g)
	return k[:]
}

// ChangesSince returns the changes committed after generation since, in
// commit order, and the generation they bring the caller to. It fails
// with ErrChangesPruned when the record does not cover every generation
// after since.
func (s *Store) ChangesSince(since uint64) (changes []Change, now uint64, err error) {
	err = s.View(func(tx *Tx) error {
		now = tx.generation()
		if since > now {
			return fmt.Errorf("generation %d is ahead of the store's %d: %w", since, now, ErrChangesPruned)
		}
		if since == now {
			return nil
		}
		b := tx.tx.Bucket(bucketChanges)
		if b == nil {
			return fmt.Errorf("no change record: %w", ErrChangesPruned)
		}
		c := b.Cursor()
		want := since + 1
		for k, v := c.Seek(generationKey(want)); k != nil && want <= now; k, v = c.Next() {
			if binary.BigEndian.Uint64(k) != want {
				break
			}
			var cs []Change
			if err := json.Unmarshal(v, &cs); err != nil {
				return fmt.Errorf("change record of generation %d: %w", want, err)
			}
			changes = append(changes, cs...)
			want++
		}
		if want <= now {
			return fmt.Errorf("change record lacks generation %d: %w", want, ErrChangesPruned)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return changes, now, nil
}
