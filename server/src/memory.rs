//! Keeping the server's resident memory close to what it really uses (glibc only; a no-op
//! elsewhere). The catalogue is built once at start-up from temporary data several times its size,
//! and glibc otherwise keeps what it freed, in one arena per thread.

/// Caps glibc's malloc arenas: the server's work is short requests, not allocation-heavy threads.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before other threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns freed heap memory to the operating system.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds free.
    unsafe {
        libc::malloc_trim(0);
    }
}
