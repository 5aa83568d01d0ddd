/// mimalloc: a large unit's import and start allocate millions of small records, where the
/// system allocator spent a fifth of the time (PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(vlu::cli::main());
}
