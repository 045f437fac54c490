//! `tessera-server`: the server binary. Glue only; see the library.

fn main() -> std::process::ExitCode {
    tessera_server::main("tessera-server")
}
