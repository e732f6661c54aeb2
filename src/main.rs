//! The `rmqctl` binary: parse the command line and run one command.

use clap::Parser;

/// mimalloc instead of glibc's malloc: the broker allocates and frees small header strings and
/// buffers for every request, and glibc's allocator took about 15% of the broker's CPU under
/// load (bench produce) where mimalloc's per-thread free lists take a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// In the static musl build, `memcpy` and `memmove` are `rmqctl::byte_copy` instead of musl's
/// `rep movsq` copies (see there for why). Both are defined: musl's memmove would pull in its
/// memcpy and the link would see two.
#[cfg(all(target_env = "musl", target_arch = "x86_64"))]
mod musl_byte_copy {
    /// # Safety
    /// As C's memcpy: valid, non-overlapping ranges of `n` bytes.
    #[no_mangle]
    pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        rmqctl::byte_copy::copy_nonoverlapping(dest, src, n);
        dest
    }

    /// # Safety
    /// As C's memmove: valid ranges of `n` bytes, which may overlap.
    #[no_mangle]
    pub unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        rmqctl::byte_copy::copy_overlapping(dest, src, n);
        dest
    }
}

fn main() {
    let cli = rmqctl::cli::Cli::parse();
    std::process::exit(rmqctl::cli::run(cli));
}
