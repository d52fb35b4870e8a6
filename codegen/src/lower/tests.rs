//! Unit tests of lowering: small documents in, the IR out.
