//! Keeping the server's resident memory close to what it really uses. The catalogue is built at
//! start-up (and after each change) from temporary data several times its size, and an allocator
//! otherwise keeps what it freed for later. The server allocates with mimalloc (see main.rs);
//! glibc's malloc is still what the C parts and other programs linking this crate use.

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
    // SAFETY: mi_collect only returns memory mimalloc holds free; `true` includes every thread's.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds free.
    unsafe {
        libc::malloc_trim(0);
    }
}
