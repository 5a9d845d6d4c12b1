//! The `rapportsok` binary: everything lives in the library; see `rapportsok::cli`.

fn main() -> std::process::ExitCode {
    rapportsok::cli::main()
}
