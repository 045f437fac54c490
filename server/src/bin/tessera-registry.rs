//! `tessera-registry`: the server's former name, kept working for a while.
//! Everything is as with `tessera-server`; the name in messages is this one.

fn main() -> std::process::ExitCode {
    tessera_server::main("tessera-registry")
}
