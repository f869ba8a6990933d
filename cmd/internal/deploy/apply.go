package deploy

import (
	"context"
	"fmt"
	"sync"
)

// DefaultConcurrency is how many requests a deploy has in flight.
const DefaultConcurrency = 16

// Options tune Apply.
type Options struct {
	// Concurrency bounds the requests in flight; 0 means DefaultConcurrency.
	Concurrency int
	// Progress, when set, is called after each object uploaded or deleted,
	// from one goroutine at a time.
	Progress func(Progress)
}

// Progress is how far a deploy has gone.
type Progress struct {
	Stage         string // the stage running, or "delete"
	Done, Total   int    // objects uploaded or deleted, of all
	Bytes, ToSend int64  // bytes uploaded, of all
}

// A Result is what Apply did.
type Result struct {
	Uploaded int
	Bytes    int64
	Deleted  int
}

// Apply carries the plan out on s, reading the files from the output
// folder dir: each stage of uploads in turn, every upload of a stage done
// before the next stage starts, and the deletions after every upload has
// succeeded. On the first failure (after the store client's retries) it
// starts nothing more, waits for the requests in flight, and returns the
// error: what was uploaded stays (each object is whole, and a page only
// ever names objects uploaded before it), nothing is deleted, and the next
// deploy uploads what is left.
func (p *Plan) Apply(ctx context.Context, s *Store, dir string, opt Options) (Result, error) {
	n := opt.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	var (
		res  Result
		mu   sync.Mutex
		prog = Progress{Total: len(p.Uploads) + len(p.Deletes), ToSend: p.UploadBytes()}
	)
	report := func(stage string, bytes int64, deleted bool) {
		mu.Lock()
		defer mu.Unlock()
		if deleted {
			res.Deleted++
		} else {
			res.Uploaded++
			res.Bytes += bytes
		}
		prog.Stage = stage
		prog.Done++
		prog.Bytes += bytes
		if opt.Progress != nil {
			opt.Progress(prog)
		}
	}

	for i := 0; i < len(p.Uploads); {
		stage := p.Uploads[i].Stage
		j := i
		for j < len(p.Uploads) && p.Uploads[j].Stage == stage {
			j++
		}
		batch := p.Uploads[i:j]
		err := each(ctx, n, len(batch), func(ctx context.Context, k int) error {
			u := batch[k]
			if err := s.put(ctx, dir, u); err != nil {
				return err
			}
			report(stage.String(), u.Size, false)
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("%w (%d of %d uploads done, nothing deleted: run deploy again to finish)", err, res.Uploaded, len(p.Uploads))
		}
		i = j
	}
	err := each(ctx, n, len(p.Deletes), func(ctx context.Context, k int) error {
		if err := s.remove(ctx, p.Deletes[k].Key); err != nil {
			return err
		}
		report("delete", 0, true)
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("%w (every upload done, %d of %d deletions: run deploy again to finish)", err, res.Deleted, len(p.Deletes))
	}
	return res, nil
}

// each calls do(ctx, i) for i in [0, n) on at most workers goroutines.
// The first error cancels the context given to the calls still to come
// and in flight, and is returned once every call has ended.
func each(ctx context.Context, workers, n int, do func(ctx context.Context, i int) error) error {
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg   sync.WaitGroup
		next = make(chan int)
		once sync.Once
		fail error
	)
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				if err := do(ctx, i); err != nil {
					once.Do(func() { fail = err; cancel(err) })
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if fail != nil {
		return fail
	}
	return ctx.Err()
}
