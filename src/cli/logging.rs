//! Where the runtime's operator lines go. The crates below the binary emit `tracing` events with
//! stable targets (`node::log_targets`); only the binary installs a subscriber, once, in `main`.
//!
//! The subscriber is `tracing-subscriber` (the `tracing` project's own, on crates.io): its
//! `EnvFilter` reads `RUST_LOG` in the directive syntax operators know from every Rust service
//! (`RUST_LOG=warn`, `RUST_LOG=info,graphene::writer=debug`), and its formatters give the JSON
//! form; writing our own would re-implement both.
//!
//! Streams: warnings and errors on stderr, everything else on stdout (where the crash tests and
//! operators' greps read `block N`, `durable N`, `stopped ...`). A failed write (a closed pipe) is
//! ignored: the journal, not the log, is the node's record, and production must not stop for it.

use super::CliError;
use std::io::IsTerminal;
use tracing::Level;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// How each event is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// The message alone, one line per event: the stable lines (README "Logs").
    #[default]
    Text,
    /// Time, level and target before the message, then the event's fields.
    Full,
    /// One JSON object per event: timestamp, level, target and the fields (the message among them).
    Json,
}

/// Install the process's subscriber: events at `default_filter` and above, unless `RUST_LOG` is
/// set (then it alone decides). A `RUST_LOG` that does not parse is refused rather than ignored.
pub fn install(format: LogFormat, default_filter: &str) -> Result<(), CliError> {
    let directives = match std::env::var("RUST_LOG") {
        Ok(s) if !s.trim().is_empty() => s,
        _ => default_filter.to_string(),
    };
    let filter = EnvFilter::builder()
        .parse(&directives)
        .map_err(|e| CliError::Usage(format!("RUST_LOG={}: {e}", super::cut(&directives))))?;
    let writer = std::io::stderr.with_max_level(Level::WARN).or_else(std::io::stdout);
    // Colours only for a person at a terminal, never escape codes in a file or a pipe.
    let ansi = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    let registry = tracing_subscriber::registry().with(filter);
    let installed = match format {
        LogFormat::Text => registry
            .with(
                fmt::layer()
                    .without_time()
                    .with_level(false)
                    .with_target(false)
                    .with_ansi(false)
                    .fmt_fields(fmt::format::debug_fn(|w, field, value| {
                        // The message carries every field already, in its stable wording.
                        if field.name() == "message" {
                            write!(w, "{value:?}")
                        } else {
                            Ok(())
                        }
                    }))
                    .log_internal_errors(false)
                    .with_writer(writer),
            )
            .try_init(),
        LogFormat::Full => {
            registry.with(fmt::layer().with_ansi(ansi).log_internal_errors(false).with_writer(writer)).try_init()
        }
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .with_current_span(false)
                    .with_span_list(false)
                    .log_internal_errors(false)
                    .with_writer(writer),
            )
            .try_init(),
    };
    installed.map_err(|e| CliError::Failed(format!("cannot install the log subscriber: {e}")))
}
