//! glibc's allocator, set up for a server that runs for months.
//!
//! By default glibc raises its mmap threshold each time a large block is freed, so
//! after the first few analyses their tables (hundreds of KiB to tens of MiB) come
//! from the heap instead of their own mappings; freed, they leave holes the heap
//! cannot give back, and resident memory creeps up with the load's history. A fixed
//! threshold keeps every large block in its own mapping, returned when freed, and a
//! periodic `malloc_trim` hands back the free pages inside the heaps as well.
//! Measured with `cargo xtask load`: see the README, "Under load".
//!
//! Other C libraries (musl) and systems keep their own behaviour: both calls are then
//! no-ops.

/// Blocks of this size and more get their own mapping.
const MMAP_THRESHOLD: i32 = 128 << 10;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::c_int;

    /// `M_MMAP_THRESHOLD` in glibc's `<malloc.h>`.
    const M_MMAP_THRESHOLD: c_int = -3;

    /// glibc's `struct mallinfo2` (2.33 and later), field for field.
    #[repr(C)]
    struct Mallinfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }

    unsafe extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
        fn malloc_trim(pad: usize) -> c_int;
        fn mallinfo2() -> Mallinfo2;
    }

    pub fn set_mmap_threshold(bytes: c_int) {
        // SAFETY: mallopt only sets a tuning parameter of the allocator; glibc
        // takes its own lock, and any value is valid (an unusable one is ignored).
        unsafe {
            mallopt(M_MMAP_THRESHOLD, bytes);
        }
    }

    pub fn trim() {
        // SAFETY: malloc_trim only releases free memory back to the system, under
        // the allocator's locks; it is safe to call from any thread at any time.
        unsafe {
            malloc_trim(0);
        }
    }

    pub fn heap() -> Option<super::Heap> {
        // SAFETY: mallinfo2 walks the arenas under their locks and returns a plain
        // struct by value; the declaration above matches glibc's layout.
        let m = unsafe { mallinfo2() };
        Some(super::Heap {
            in_use: (m.uordblks + m.hblkhd) as u64,
            free: m.fordblks as u64,
        })
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod glibc {
    pub fn set_mmap_threshold(_bytes: i32) {}
    pub fn trim() {}
    pub fn heap() -> Option<super::Heap> {
        None
    }
}

/// Fixes the mmap threshold (once, at start).
pub fn tune() {
    glibc::set_mmap_threshold(MMAP_THRESHOLD);
}

/// Returns free heap pages to the system.
pub fn trim() {
    glibc::trim();
}

/// The allocator's own account of its memory.
#[derive(Debug, Clone, Copy)]
pub struct Heap {
    /// Bytes handed out and not yet freed (heap blocks and mapped ones).
    pub in_use: u64,
    /// Free bytes the heaps still hold (part of them resident).
    pub free: u64,
}

/// What the allocator holds now, where it can tell (glibc). Walks every arena's
/// free lists under its lock: cheap, but not for every request.
pub fn heap() -> Option<Heap> {
    glibc::heap()
}
