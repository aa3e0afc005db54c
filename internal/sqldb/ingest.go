package sqldb

import (
	"context"
	"time"

	"github.com/candor-dev/candor/internal/analytics/accesslog"
)

// IngestStore keeps what `candor ingest-log` has read of each log (accesslog.State) in the
// ingest_logs table: file identity and offsets, never a line, an address or an agent.
type IngestStore struct{ DB *DB }

// IngestState returns what was ingested of the log whose first line has the keyed hash head.
func (s IngestStore) IngestState(ctx context.Context, site int64, head string) (accesslog.State, error) {
	st := accesslog.State{SiteID: site, Head: head}
	var dev, ino, at int64
	err := s.DB.QueryRow(ctx, query("ingest-state"),
		site, head).Scan(&dev, &ino, &st.Offset, &at)
	st.Device, st.Inode, st.UpdatedAt = uint64(dev), uint64(ino), time.UnixMilli(at).UTC()
	return st, err
}

// SaveIngestState records how far a log was ingested.
func (s IngestStore) SaveIngestState(ctx context.Context, st accesslog.State) error {
	_, err := s.DB.Exec(ctx, query("save-ingest-state"),
		st.SiteID, st.Head, int64(st.Device), int64(st.Inode), st.Offset, st.UpdatedAt.UnixMilli())
	return err
}
