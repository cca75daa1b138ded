// Temporary wiring on the `crypto` branch so `cli::key` compiles; the lead replaces this.
mod cli {
    pub mod key;
}

use clap::Parser;

#[derive(Parser)]
#[command(name = "graphene", about = "A Rust implementation of the BitShares 2.0 / Graphene node")]
enum Cli {
    /// Create, derive and inspect key pairs.
    #[command(subcommand)]
    Key(cli::key::KeyCmd),
}

fn main() {
    let Cli::Key(cmd) = Cli::parse();
    if let Err(e) = cli::key::run(cmd) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
