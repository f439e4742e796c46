//! Time and memory bounds for the hostile-input tests (`tests/hostile.rs`, `tests/reader.rs`,
//! which include this file by path): it installs a global allocator that counts every
//! allocation, so a suite that includes it measures the memory each test allocates.
//! Each test holds [`alone`] while it runs, so the peak it sees is its own.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    CALLS.fetch_add(1, Relaxed);
    let now = CURRENT.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        CURRENT.fetch_sub(l.size(), Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > l.size() {
            grew(new - l.size());
        } else {
            CURRENT.fetch_sub(l.size() - new, Relaxed);
        }
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;
static ALONE: Mutex<()> = Mutex::new(());

pub const MB: usize = 1024 * 1024;

/// Every test holds this while it runs, so that no other test allocates meanwhile.
pub fn alone() -> std::sync::MutexGuard<'static, ()> {
    ALONE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` and counts the allocations it makes (calls, not bytes). Call it holding
/// [`alone`].
#[allow(dead_code)] // Not every suite that includes this file counts calls.
pub fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = CALLS.load(Relaxed);
    let out = f();
    (out, CALLS.load(Relaxed) - before)
}

/// Builds the input (not measured), then runs `f` on it and checks its time and the memory it
/// allocates beyond what it started with. The time bound is loose (debug build, a shared
/// machine): it catches quadratic work, not slow constants. Call it holding [`alone`].
pub fn bounded<I, T>(input: impl FnOnce() -> I, secs: u64, max_bytes: usize, f: impl FnOnce(&I) -> T) -> T {
    let input = input();
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let start = Instant::now();
    let out = f(&input);
    let took = start.elapsed();
    let extra = PEAK.load(Relaxed).saturating_sub(base);
    drop(input);
    // Seen with `cargo test --test <suite> -- --nocapture --test-threads 1`.
    eprintln!("  {took:.2?}, {} KB allocated (bounds: {secs} s, {} KB)", extra / 1024, max_bytes / 1024);
    assert!(took < Duration::from_secs(secs), "took {took:?}, bound {secs} s");
    assert!(extra <= max_bytes, "allocated {} KB, bound {} KB", extra / 1024, max_bytes / 1024);
    out
}
