package mail

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/internal/smtptest"
	"github.com/matchgrid/matchgrid/notify"
	"github.com/matchgrid/matchgrid/profiles"
)

// BenchmarkDeliver queues 200 mails and delivers them through a real SMTP
// server on loopback, beside the .eml directory transport as the baseline
// of the same run (store bookkeeping included: claim, send, settle).
func BenchmarkDeliver(b *testing.B) {
	for _, name := range []string{"eml-dir", "smtp-loopback"} {
		b.Run(name, func(b *testing.B) {
			s := fixture(b)
			var tr Transport = &Dir{Path: filepath.Join(b.TempDir(), "mail")}
			if name == "smtp-loopback" {
				tr = &SMTP{Addr: smtptest.Start(b).Addr}
			}
			svc := &Service{From: "noreply@mit.example", Transport: tr}
			d := &notify.Dispatcher{Store: s, Channel: profiles.ChannelMail, Sender: svc}
			sent := 0
			for i := 0; b.Loop(); i++ {
				err := s.Update(func(tx *profiles.Tx) error {
					for j := range 200 {
						it := &profiles.OutboxItem{EventID: eventID, Channel: profiles.ChannelMail, Key: fmt.Sprintf("bench:%d:%d", i, j),
							Kind: string(KindRequestReceived), Target: "eva@charite.example", Subject: "Benchmark", Body: "Hello\n"}
						if _, err := tx.Enqueue(it, time.Now()); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				n, err := d.Drain(context.Background())
				if err != nil || n != 200 {
					b.Fatalf("drained %d, %v", n, err)
				}
				sent += n
			}
			b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "mails/s")
		})
	}
}
