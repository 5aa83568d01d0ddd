/// mimalloc: a large unit's import and start allocate millions of small records, where the
/// system allocator spent a fifth of the time (PERFORMANCE.md). Its version 2 (Cargo.toml):
/// it gives freed memory back to the system within milliseconds, where version 3 held the
/// unit service 60 MB or more above what it used after a return until it next worked.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(vlu::cli::main());
}
