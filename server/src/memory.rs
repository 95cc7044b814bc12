//! The server's dealings with the C allocator: how glibc's malloc is tuned at start-up, and
//! giving freed memory back to the system after a burst of work.
//!
//! Every version of a document is built while the one before is still alive, then the old one
//! is freed. glibc keeps the freed chunks in its heap, and a heap with holes only shrinks from
//! its top, so without help the resident set creeps up with each keystroke to hold two
//! versions plus the holes between them. Elsewhere than glibc these are no-ops.

/// Tunes glibc's malloc; call before any thread starts.
///
/// glibc gives every thread that allocates its own heap arena; the analysis threads would
/// each keep one alive. One arena is plenty for an editor's load (analysis is short and
/// mostly serial) and keeps the resident set small.
///
/// glibc also raises its mmap threshold to the size of the largest block freed so far, so
/// after one megabyte-sized answer every later big buffer comes from the heap, whose top is
/// then kept. A fixed threshold keeps big, short-lived buffers (a serialised answer, a file's
/// text) in their own mappings, returned to the system when freed.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator tunables; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}

/// Hands the whole free pages inside the heap back to the system (`malloc_trim`). Costs about
/// 0.1 ms on a heap holding a 10,000-line document, so it is called once a burst of work is
/// over (a version analysed, a request answered), after the result has been sent.
pub fn release_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}
