//! The engine's threads: one helper every stage uses to spread work.
//!
//! Work is split into jobs numbered `0..jobs`; [`run`] starts the workers on
//! scoped standard-library threads (no thread pool, no extra dependency), each
//! with its own state, and every worker pulls the next job numbers from one
//! shared counter until none is left. A stage whose result must not depend on
//! the thread count gives its jobs fixed contents (a chunk of records, a seed)
//! and combines the per-job or per-worker results in a fixed order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The number of worker threads `configured` asks for: itself, or one per
/// available core when it is 0.
pub(crate) fn thread_count(configured: usize) -> usize {
    match configured {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        t => t,
    }
}

/// The shared job counter of one [`run`]: hands out job numbers, each once.
#[derive(Debug)]
pub(crate) struct Jobs {
    next: AtomicUsize,
    len: usize,
}

impl Jobs {
    /// The next `batch` job numbers still to do (empty once all are handed out).
    #[inline]
    pub(crate) fn take(&self, batch: usize) -> std::ops::Range<usize> {
        let start = self.next.fetch_add(batch, Ordering::Relaxed).min(self.len);
        start..(start + batch).min(self.len)
    }

    /// The next job number still to do.
    #[inline]
    pub(crate) fn next(&self) -> Option<usize> {
        let job = self.take(1);
        (!job.is_empty()).then_some(job.start)
    }
}

/// Runs `work(&jobs)` on `threads` workers (on this thread alone when
/// `threads <= 1`, or when there is at most one job), and returns what each
/// worker returned, in worker order. Every worker draws job numbers
/// `0..jobs` from the same [`Jobs`], so each job is done exactly once.
///
/// # Panics
/// When a worker panics (the panic is resumed on this thread).
pub(crate) fn run<S: Send>(
    threads: usize,
    jobs: usize,
    work: impl Fn(&Jobs) -> S + Sync,
) -> Vec<S> {
    let jobs_counter = Jobs { next: AtomicUsize::new(0), len: jobs };
    let workers = threads.clamp(1, jobs.max(1));
    if workers == 1 {
        return vec![work(&jobs_counter)];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(|| work(&jobs_counter))).collect();
        let mut states = vec![work(&jobs_counter)];
        for handle in handles {
            match handle.join() {
                Ok(state) => states.push(state),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        states
    })
}

/// Runs `a` on another thread while this thread runs `b`; returns both results.
///
/// # Panics
/// When `a` panics (the panic is resumed on this thread).
pub(crate) fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let handle = scope.spawn(a);
        let b = b();
        match handle.join() {
            Ok(a) => (a, b),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_is_done_once_whatever_the_thread_count() {
        for threads in [0, 1, 2, 5] {
            let done = run(threads, 103, |jobs| {
                let mut mine = Vec::new();
                loop {
                    let batch = jobs.take(4);
                    if batch.is_empty() {
                        break;
                    }
                    mine.extend(batch);
                }
                mine
            });
            assert_eq!(done.len(), threads.clamp(1, 103));
            let mut all: Vec<usize> = done.into_iter().flatten().collect();
            all.sort_unstable();
            assert_eq!(all, (0..103).collect::<Vec<_>>());
        }
    }

    #[test]
    fn no_job_still_runs_one_worker() {
        let states = run(4, 0, |jobs| jobs.next());
        assert_eq!(states, vec![None]);
    }

    #[test]
    fn join_returns_both_results() {
        assert_eq!(join(|| 1 + 1, || "b"), (2, "b"));
        assert!(thread_count(0) >= 1);
        assert_eq!(thread_count(3), 3);
    }
}
