use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: a run allocates hundreds of thousands of small tree nodes
/// on two threads, and glibc's per-thread arenas spent a fifth of the CPU time in `malloc`/`free`
/// and growing their heaps. Measured on the 10,000-workload benchmark (alternating binaries,
/// median of 9): 0.61 s / 0.99 s CPU / 159 MB with glibc, 0.47 s / 0.77 s CPU / 197 MB with
/// mimalloc; at 50,000 workloads 3.26 s / 727 MB against 3.01 s / 792 MB. It trades some memory
/// for time; an earlier round (before the trees shrank) measured no gain at 50,000, and dropped it.
///
/// Version 2 (the crate's `v2` feature) rather than 3, and told to give freed memory back to the
/// system at once (see [`return_memory_promptly`]): at 50,000 workloads, peak RSS 245 MB with v3,
/// 222 MB with v2, 201 MB with v2 so configured (glibc: 200 MB), at the same speed.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's `mi_option_set` (in the library the `mimalloc` crate links).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Purge freed pages at once rather than after 10 ms (`mi_option_purge_delay`), and commit arena
/// memory as it is used rather than up front (`mi_option_arena_eager_commit`). The numbers are
/// the positions of these options in `mi_option_t` of mimalloc v2's `mimalloc.h` (libmimalloc-sys
/// 0.1.49 vendors v2.2), the version this binary links.
fn return_memory_promptly() {
    const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: setting an option is a plain store in mimalloc; both are valid option ids of the
    // linked version and take these values (0 = off / no delay).
    unsafe {
        mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
}

/// The options are set from the ELF constructors, before the Rust runtime's first allocation:
/// mimalloc reserves its first arena then, and an arena's commit policy is fixed when it is
/// reserved (set in `main`, the arena option took no effect: 209 MB against 201 MB).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static SET_ALLOCATOR_OPTIONS: extern "C" fn() = {
    extern "C" fn set() {
        return_memory_promptly();
    }
    set
};

fn main() -> ExitCode {
    if cfg!(not(target_os = "linux")) {
        return_memory_promptly();
    }
    // A reader that stops reading (`kedalint check . | head`) ends the process quietly, as it
    // ends `ls` or `grep`: Rust ignores SIGPIPE, and every write would then fail with "Broken
    // pipe" (exit 2 from a report, a panic from `print!`).
    #[cfg(unix)]
    // SAFETY: restoring the default action of a signal, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    kedalint::cli::main()
}
