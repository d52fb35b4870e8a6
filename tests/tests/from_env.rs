//! `Client::from_env()`. A test binary of its own with a single test: it mutates the process
//! environment, which must not race with any other thread reading it.
use jumpcloud_sdk::{Client, Error, DEFAULT_BASE_URL};

#[test]
fn from_env_requires_the_api_key_and_reads_it() {
    std::env::remove_var("JUMPCLOUD_API_KEY");
    std::env::remove_var("JUMPCLOUD_ORG_ID");
    match Client::from_env() {
        Err(Error::Config(message)) => assert!(
            message.contains("JUMPCLOUD_API_KEY"),
            "the message names the variable: {message}"
        ),
        other => panic!("expected Error::Config, got {other:?}"),
    }

    // A key that is not a valid header value is a configuration error too.
    std::env::set_var("JUMPCLOUD_API_KEY", "key\nInjected: 1");
    assert!(matches!(Client::from_env(), Err(Error::Config(_))));

    std::env::set_var("JUMPCLOUD_API_KEY", "env-secret-key");
    std::env::set_var("JUMPCLOUD_ORG_ID", "");
    let client = Client::from_env().expect("the key is set");
    assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    assert!(!format!("{client:?}").contains("env-secret-key"));

    std::env::set_var("JUMPCLOUD_ORG_ID", "org-env");
    Client::from_env().expect("key and org are set");

    std::env::remove_var("JUMPCLOUD_API_KEY");
    std::env::remove_var("JUMPCLOUD_ORG_ID");
}
