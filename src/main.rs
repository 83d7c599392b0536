//! The `napscan` command line: a thin layer over the library (see `cli/`).

mod cli;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (`mimalloc.h`; the same index in v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // mimalloc hands freed memory back to the OS after 10 ms, and the pages are zeroed again when
    // they come back (7% of a text-corpus run). A batch command is short and its peak is what
    // counts, so it keeps its memory; the long-running server does not. Workers get their options
    // from the environment the pool sets, and an explicit setting wins.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
        && std::env::args_os().nth(1).is_none_or(|a| a != "serve")
    {
        // SAFETY: sets a process-wide allocator option; mimalloc allows this at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    std::process::exit(cli::main());
}
