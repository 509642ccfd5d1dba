//! What the shipped wasm needs without std: a panic handler and an allocator.
//!
//! std's panic machinery formats messages and pulls in `core::fmt`, and
//! dlmalloc is larger than everything else this module does; both cost
//! every page view. Nothing here should ever panic, so the handler just traps.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    wasm32::unreachable()
}

/// Power-of-two size classes with a free list each. Freed blocks are reused
/// by the next allocation of the same class, so memory stays flat for a
/// steady stream of events; a block wastes at most half its size.
struct SizeClasses {
    state: UnsafeCell<State>,
}

struct State {
    /// Head of each class's free list (0 = empty); a free block's first word
    /// points to the next.
    free: [usize; CLASSES],
    /// Next unused byte, and the end of the memory grown so far.
    next: usize,
    end: usize,
}

const CLASSES: usize = 32;
/// Smallest block: 16 bytes, so every block is 16-byte aligned.
const MIN_CLASS: u32 = 4;
const PAGE: usize = 65536;

// SAFETY: wasm32-unknown-unknown without atomics runs one thread.
unsafe impl Sync for SizeClasses {}

#[global_allocator]
static ALLOCATOR: SizeClasses = SizeClasses { state: UnsafeCell::new(State { free: [0; CLASSES], next: 0, end: 0 }) };

/// The class of a layout, or `None` for alignments above 16 (never asked for here).
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > 1 << MIN_CLASS {
        return None;
    }
    let bits = usize::BITS - layout.size().max(1).wrapping_sub(1).leading_zeros();
    let class = bits.max(MIN_CLASS) as usize;
    (class < CLASSES).then_some(class)
}

unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class(layout) else { return core::ptr::null_mut() };
        let state = &mut *self.state.get();
        let head = state.free[class];
        if head != 0 {
            state.free[class] = *(head as *const usize);
            return head as *mut u8;
        }
        let size = 1usize << class;
        if state.end == 0 {
            state.next = wasm32::memory_size(0) * PAGE;
            state.end = state.next;
        }
        // Blocks of 16 bytes and up, handed out at 16-byte boundaries.
        let start = (state.next + 15) & !15;
        let Some(stop) = start.checked_add(size) else { return core::ptr::null_mut() };
        if stop > state.end {
            let pages = (stop - state.end).div_ceil(PAGE);
            if wasm32::memory_grow(0, pages) == usize::MAX {
                return core::ptr::null_mut();
            }
            state.end += pages * PAGE;
        }
        state.next = stop;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(class) = class(layout) {
            let state = &mut *self.state.get();
            *(ptr as *mut usize) = state.free[class];
            state.free[class] = ptr as usize;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(new) == class(layout) {
            return ptr;
        }
        let fresh = self.alloc(new);
        if !fresh.is_null() {
            core::ptr::copy_nonoverlapping(ptr, fresh, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        fresh
    }
}
