//! The engine's threads: one helper every stage uses to spread work.
//!
//! Work is split into jobs numbered `0..jobs`; [`run`] starts the workers on
//! scoped standard-library threads (no thread pool, no extra dependency), each
//! with its own state, and every worker pulls the next job numbers from one
//! shared counter until none is left. A stage whose result must not depend on
//! the thread count gives its jobs fixed contents (a chunk of records, a seed)
//! and combines the per-job or per-worker results in a fixed order.
//!
//! A thread the system refuses to start (too many threads, no memory for its
//! stack) is not an error: the workers that did start, and this thread, share
//! its jobs, so a run on fewer threads gives the same result, only later.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The most worker threads a configuration may ask for
/// ([`Config::threads`](crate::Config::threads)).
///
/// Every worker keeps its own state (candidate buffers, per-thread counts), so
/// workers beyond the cores only add memory and contention: 1024 is above the
/// core count of any machine this library targets, and far below the thread
/// limits of common systems (a `--threads 100000` is a typo, not a plan).
pub const MAX_THREADS: usize = 1024;

/// The number of worker threads `configured` asks for: itself, or one per
/// available core when it is 0; never more than [`MAX_THREADS`].
pub(crate) fn thread_count(configured: usize) -> usize {
    let wanted = match configured {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        t => t,
    };
    wanted.min(MAX_THREADS)
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
/// This thread is the first worker; when the system refuses to start one of
/// the others, no more are started and the workers running share every job
/// (the result then holds fewer states, never fewer jobs).
///
/// # Panics
/// When a worker panics (the panic is resumed on this thread).
pub(crate) fn run<S: Send>(
    threads: usize,
    jobs: usize,
    work: impl Fn(&Jobs) -> S + Sync,
) -> Vec<S> {
    run_with(std::thread::Builder::new, threads, jobs, work)
}

/// [`run`], with the builder of each spawned worker made by `builder` (the
/// tests give one whose threads cannot start).
fn run_with<S: Send>(
    builder: impl Fn() -> std::thread::Builder,
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
        let mut handles = Vec::with_capacity(workers - 1);
        for _ in 1..workers {
            match builder().spawn_scoped(scope, || work(&jobs_counter)) {
                Ok(handle) => handles.push(handle),
                // The system refuses more threads: the started ones do the rest.
                Err(_) => break,
            }
        }
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

/// Runs `a` on another thread while this thread runs `b`; returns both
/// results. When the system refuses to start a thread, this thread runs `b`,
/// then `a`.
///
/// # Panics
/// When `a` panics (the panic is resumed on this thread).
pub(crate) fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    join_with(std::thread::Builder::new(), a, b)
}

/// [`join`], with the other thread started by `builder`.
fn join_with<A: Send, B>(
    builder: std::thread::Builder,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    // `a` waits here, so that it is still ours when its thread cannot start.
    let pending = Mutex::new(Some(a));
    let run_pending = || pending.lock().ok().and_then(|mut a| a.take()).map(|a| a());
    std::thread::scope(|scope| {
        let handle = builder.spawn_scoped(scope, run_pending).ok();
        let b = b();
        let a = match handle.map(|h| h.join()) {
            Some(Ok(a)) => a,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => run_pending(),
        };
        match a {
            Some(a) => (a, b),
            // Unreachable: `a` is taken exactly once, by its thread or here.
            None => unreachable!("join: the first closure ran nowhere"),
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
        assert_eq!(thread_count(100_000), MAX_THREADS);
    }

    /// A thread builder the system refuses: its stack (4 PiB) is larger than
    /// any address space.
    fn refused() -> std::thread::Builder {
        std::thread::Builder::new().stack_size(1 << 52)
    }

    #[test]
    fn the_refused_builder_is_refused() {
        // Keeps the tests below honest: their workers really fail to start.
        assert!(refused().spawn(|| ()).is_err());
    }

    #[test]
    fn workers_that_cannot_start_leave_their_jobs_to_this_thread() {
        let here = std::thread::current().id();
        let done = run_with(refused, 8, 50, |jobs| {
            let mut mine = Vec::new();
            while let Some(job) = jobs.next() {
                mine.push((job, std::thread::current().id()));
            }
            mine
        });
        assert_eq!(done.len(), 1, "only this thread ran");
        let jobs: Vec<usize> = done[0].iter().map(|&(job, _)| job).collect();
        assert_eq!(jobs, (0..50).collect::<Vec<_>>());
        assert!(done[0].iter().all(|&(_, thread)| thread == here));
    }

    #[test]
    fn workers_stop_at_the_first_refusal_and_share_every_job() {
        let started = AtomicUsize::new(0);
        let second_refused = || match started.fetch_add(1, Ordering::Relaxed) {
            0 => std::thread::Builder::new(),
            _ => refused(),
        };
        let done = run_with(second_refused, 8, 1_000, |jobs| {
            std::iter::from_fn(|| jobs.next()).collect::<Vec<_>>()
        });
        assert_eq!(done.len(), 2, "this thread and the one that started");
        assert_eq!(started.load(Ordering::Relaxed), 2, "no start tried after the refusal");
        let mut all: Vec<usize> = done.into_iter().flatten().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1_000).collect::<Vec<_>>());
    }

    #[test]
    fn join_runs_both_here_when_its_thread_cannot_start() {
        let here = std::thread::current().id();
        let (a, b) = join_with(refused(), || std::thread::current().id(), || 7);
        assert_eq!((a, b), (here, 7));
    }
}
