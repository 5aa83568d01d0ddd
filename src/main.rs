fn main() {
    std::process::exit(vlu::cli::main());
}
