//! How a subcommand fails: a message for the user and the process exit code.

use std::fmt;

/// A failed subcommand. `main` prints the message to stderr and exits with the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1: a check or the generation failed; 2: bad usage or a broken environment.
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// A check failed or the document could not be generated from (exit 1). The message is
    /// printed as is, because check messages are the command's normal output.
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }

    /// Bad arguments, a missing file or tool, an I/O error (exit 2).
    pub fn environment(message: impl fmt::Display) -> Self {
        Failure {
            code: 2,
            message: format!("error: {message}"),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
