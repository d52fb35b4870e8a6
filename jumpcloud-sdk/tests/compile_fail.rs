//! What must not compile: a request body without its required fields, the struct-literal
//! loophole around the constructor, and reaching into an API error's parts.
#[test]
fn compile_fail() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
