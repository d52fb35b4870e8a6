//! End-to-end tests of the generated SDK live in `tests/`. This library only compiles the
//! README's examples, so the documented calls cannot drift from the generated API.
#![doc = include_str!("../../README.md")]
