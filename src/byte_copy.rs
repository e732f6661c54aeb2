//! The byte copy behind `memcpy`/`memmove` in the static (musl) x86_64 build (`src/main.rs`
//! installs it there). musl's x86_64 memcpy runs `rep movsq` plus byte loops for every size;
//! the broker makes many copies of 1-64 bytes (header strings, numbers) and these cost it 7% of
//! its CPU under `bench produce`, against under 2% for glibc's vector copies. Here copies of up to
//! 64 bytes are a few overlapping unaligned loads and stores, copies up to 4 KiB (message bodies
//! into the commit log) a loop of 64-byte blocks of 16-byte vector loads and stores (`rep movsb`
//! starts slowly: it made this memcpy take 2.5% of the broker's CPU against 1.5% for glibc's), and
//! longer ones one `rep movsb` (fast on CPUs with ERMS/FSRM). Written by hand because no
//! maintained crate provides a libc-replacing memcpy for musl (compiler_builtins' is also
//! `rep movs`-based). The one loop stores 16 bytes at a stride of 64, which the compiler does not
//! take for a copy idiom, so it cannot turn this code back into a call to `memcpy`.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_storeu_si128};

/// Copies up to this many bytes with loads and stores without a loop.
pub const SMALL_COPY_MAX: usize = 64;

/// Copies up to this many bytes with a loop of vector loads and stores; longer copies use
/// `rep movsb`.
pub const VECTOR_COPY_MAX: usize = 4096;

/// Copy `n` bytes from `src` to `dest`, which may overlap (memmove semantics).
///
/// # Safety
/// `src` must be valid for reading and `dest` for writing `n` bytes.
#[cfg(target_arch = "x86_64")]
#[inline]
pub unsafe fn copy_overlapping(dest: *mut u8, src: *const u8, n: usize) {
    if n <= SMALL_COPY_MAX {
        copy_small(dest, src, n);
    } else if (dest as usize).wrapping_sub(src as usize) >= n {
        // dest is before src, or past its end: a forward copy never reads a byte it wrote.
        copy_forward(dest, src, n);
    } else {
        rep_movsb_backward(dest, src, n);
    }
}

/// Copy `n` bytes from `src` to `dest`, which must not overlap (memcpy semantics).
///
/// # Safety
/// `src` must be valid for reading and `dest` for writing `n` bytes; the ranges must not overlap.
#[cfg(target_arch = "x86_64")]
#[inline]
pub unsafe fn copy_nonoverlapping(dest: *mut u8, src: *const u8, n: usize) {
    if n <= SMALL_COPY_MAX {
        copy_small(dest, src, n);
    } else {
        copy_forward(dest, src, n);
    }
}

/// `n > 64` bytes, front to back: correct when the ranges do not overlap or `dest` is before
/// `src`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn copy_forward(dest: *mut u8, src: *const u8, n: usize) {
    if n <= VECTOR_COPY_MAX {
        copy_blocks_forward(dest, src, n);
    } else {
        rep_movsb_forward(dest, src, n);
    }
}

/// `64 < n <= 4096` bytes in 64-byte blocks, each loaded whole before it is stored, then the last
/// 64 bytes, loaded before the first store. With `dest` before `src`, a block's stores only reach
/// bytes already loaded, so overlapping ranges in that direction copy right too.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn copy_blocks_forward(dest: *mut u8, src: *const u8, n: usize) {
    let load16 = |p: *const u8| _mm_loadu_si128(p.cast::<__m128i>());
    let store16 = |p: *mut u8, v| _mm_storeu_si128(p.cast::<__m128i>(), v);
    let last = src.add(n - 64);
    let (ta, tb, tc, td) = (
        load16(last),
        load16(last.add(16)),
        load16(last.add(32)),
        load16(last.add(48)),
    );
    let mut done = 0;
    while done + 64 <= n {
        let (s, d) = (src.add(done), dest.add(done));
        let (a, b, c, e) = (
            load16(s),
            load16(s.add(16)),
            load16(s.add(32)),
            load16(s.add(48)),
        );
        store16(d, a);
        store16(d.add(16), b);
        store16(d.add(32), c);
        store16(d.add(48), e);
        done += 64;
    }
    let end = dest.add(n - 64);
    store16(end, ta);
    store16(end.add(16), tb);
    store16(end.add(32), tc);
    store16(end.add(48), td);
}

/// `n <= 64` bytes: every load happens before the first store, so overlapping ranges are fine.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn copy_small(dest: *mut u8, src: *const u8, n: usize) {
    let load16 = |p: *const u8| _mm_loadu_si128(p.cast::<__m128i>());
    let store16 = |p: *mut u8, v| _mm_storeu_si128(p.cast::<__m128i>(), v);
    if n >= 32 {
        let (a, b) = (load16(src), load16(src.add(16)));
        let (c, d) = (load16(src.add(n - 32)), load16(src.add(n - 16)));
        store16(dest, a);
        store16(dest.add(16), b);
        store16(dest.add(n - 32), c);
        store16(dest.add(n - 16), d);
    } else if n >= 16 {
        let (a, b) = (load16(src), load16(src.add(n - 16)));
        store16(dest, a);
        store16(dest.add(n - 16), b);
    } else if n >= 8 {
        let (a, b) = (read::<u64>(src, 0), read::<u64>(src, n - 8));
        write(dest, 0, a);
        write(dest, n - 8, b);
    } else if n >= 4 {
        let (a, b) = (read::<u32>(src, 0), read::<u32>(src, n - 4));
        write(dest, 0, a);
        write(dest, n - 4, b);
    } else if n >= 2 {
        let (a, b) = (read::<u16>(src, 0), read::<u16>(src, n - 2));
        write(dest, 0, a);
        write(dest, n - 2, b);
    } else if n == 1 {
        *dest = *src;
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn read<T: Copy>(p: *const u8, offset: usize) -> T {
    p.add(offset).cast::<T>().read_unaligned()
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn write<T: Copy>(p: *mut u8, offset: usize, value: T) {
    p.add(offset).cast::<T>().write_unaligned(value)
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn rep_movsb_forward(dest: *mut u8, src: *const u8, n: usize) {
    // SAFETY: the caller's ranges; the direction flag is clear, as the ABI guarantees.
    core::arch::asm!(
        "rep movsb",
        inout("rcx") n => _,
        inout("rdi") dest => _,
        inout("rsi") src => _,
        options(nostack, preserves_flags)
    );
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn rep_movsb_backward(dest: *mut u8, src: *const u8, n: usize) {
    // SAFETY: the caller's ranges (n > 0); the direction flag is set for the copy and cleared
    // again, as the ABI requires.
    core::arch::asm!(
        "std",
        "rep movsb",
        "cld",
        inout("rcx") n => _,
        inout("rdi") dest.add(n - 1) => _,
        inout("rsi") src.add(n - 1) => _,
        options(nostack)
    );
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 + 3) as u8).collect()
    }

    const SIZES: &[usize] = &[
        0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255,
        256, 1000, 1024, 1077, 4095, 4096, 4097, 70_001,
    ];

    #[test]
    fn copies_every_size_at_every_alignment_and_nothing_else() {
        for &n in SIZES {
            for src_off in 0..8 {
                for dest_off in 0..8 {
                    let src = pattern(n + 8);
                    let mut dest = vec![0xAAu8; n + 16];
                    // SAFETY: src has n + 8 bytes from src_off < 8, dest n + 16 from dest_off < 8.
                    unsafe {
                        copy_nonoverlapping(
                            dest.as_mut_ptr().add(dest_off),
                            src.as_ptr().add(src_off),
                            n,
                        )
                    };
                    assert_eq!(
                        &dest[dest_off..dest_off + n],
                        &src[src_off..src_off + n],
                        "{n}"
                    );
                    assert!(dest[..dest_off].iter().all(|&b| b == 0xAA), "{n}");
                    assert!(dest[dest_off + n..].iter().all(|&b| b == 0xAA), "{n}");
                }
            }
        }
    }

    #[test]
    fn overlapping_copies_match_copy_within_in_both_directions() {
        for &n in SIZES.iter().filter(|&&n| n <= 4097) {
            for shift in [1usize, 2, 3, 7, 8, 15, 16, 33, 64, 65, n.max(1)] {
                let original = pattern(n + shift);
                let mut forward = original.clone();
                let mut expected = original.clone();
                expected.copy_within(shift..shift + n, 0);
                // SAFETY: both ranges lie within the n + shift bytes of `forward`.
                unsafe { copy_overlapping(forward.as_mut_ptr(), forward.as_ptr().add(shift), n) };
                assert_eq!(forward, expected, "dest before src, n {n} shift {shift}");

                let mut backward = original.clone();
                let mut expected = original;
                expected.copy_within(0..n, shift);
                // SAFETY: both ranges lie within the n + shift bytes of `backward`.
                unsafe { copy_overlapping(backward.as_mut_ptr().add(shift), backward.as_ptr(), n) };
                assert_eq!(backward, expected, "dest after src, n {n} shift {shift}");
            }
        }
    }
}
