use std::process::ExitCode;

fn main() -> ExitCode {
    kedalint::cli::main()
}
