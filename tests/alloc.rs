//! The pair hot loop allocates nothing: a counting global allocator checks it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use personlink::synth::{generate, SynthConfig};
use personlink::{Config, Linker};

/// Counts allocations made on the current thread while counting is switched on.
struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counters are const-initialized
// thread-locals, which never allocate.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|a| a.set(a.get() + 1));
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|a| a.set(a.get() + 1));
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> u64 {
    ALLOCATIONS.with(|a| a.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn comparing_and_scoring_pairs_allocates_nothing() {
    let data = generate(&SynthConfig::new(13, 300));
    let linker = Linker::new(Config::person_default()).unwrap();
    let prepared = linker.prepare(&data.records).unwrap();
    let n = prepared.len();
    let mut total = 0.0;
    let count = allocations_during(|| {
        for i in 0..n {
            for j in [(i + 1) % n, (i * 7 + 3) % n, (i * 31 + 11) % n] {
                total += linker.score_pair(&prepared, i, j).1;
            }
        }
    });
    assert!(total.is_finite());
    assert_eq!(count, 0, "{count} allocations while scoring {} pairs", 3 * n);
    // The counter does see allocations, so the zero above means something.
    let seen = allocations_during(|| drop(std::hint::black_box(vec![1u8; 16])));
    assert_eq!(seen, 1);
}

#[test]
fn normalizing_with_reused_buffers_allocates_nothing() {
    use personlink::normalize::{NormalizerSpec, Pipeline};
    use personlink::FieldKind;
    let mut pipelines: Vec<Pipeline> = FieldKind::ALL.into_iter().map(Pipeline::for_kind).collect();
    pipelines.push(Pipeline::from_specs(&[NormalizerSpec::Gender], "gender").unwrap());
    let inputs = [
        "  Dr. Jean-François de La Fontaine ",
        "ZOË Müller-Øster",
        " Jean.Dupont+news@GMail.com ",
        "+33 (0)6 12 34 56 78",
        "01/02/1980",
        "12, av. St-Michel",
        "Féminin",
        "王小明 😀",
    ];
    let (mut out, mut scratch) = (String::with_capacity(256), String::with_capacity(256));
    // Warm up: the buffers grow to their working size once.
    for p in &pipelines {
        for s in inputs {
            p.apply(s, &mut out, &mut scratch);
        }
    }
    let count = allocations_during(|| {
        for p in &pipelines {
            for s in inputs {
                p.apply(s, &mut out, &mut scratch);
            }
        }
    });
    assert_eq!(count, 0, "{count} allocations while normalizing");
}
