//! `Client::from_env()`. A test binary of its own with a single test: it mutates the process
//! environment, which must not race with any other thread reading it.
use jumpcloud_sdk::{Client, Error, Region, Service};

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
    assert_eq!(client.region(), Region::Us);
    assert_eq!(
        client.base_url(Service::V2),
        "https://console.jumpcloud.com/api/v2"
    );
    assert!(!format!("{client:?}").contains("env-secret-key"));

    std::env::set_var("JUMPCLOUD_ORG_ID", "org-env");
    Client::from_env().expect("key and org are set");

    // The region, then one service's base URL over it.
    std::env::set_var("JUMPCLOUD_REGION", "EU");
    std::env::set_var("JUMPCLOUD_V1_BASE_URL", "https://proxy.example/jc-v1");
    let client = Client::from_env().expect("region and a base URL");
    assert_eq!(client.region(), Region::Eu);
    assert_eq!(
        client.base_url(Service::V2),
        "https://console.eu.jumpcloud.com/api/v2"
    );
    assert_eq!(
        client.base_url(Service::DirectoryInsights),
        "https://api.eu.jumpcloud.com/insights/directory/v1"
    );
    assert_eq!(client.base_url(Service::V1), "https://proxy.example/jc-v1");
    std::env::set_var("JUMPCLOUD_REGION", "mars");
    match Client::from_env() {
        Err(Error::Config(message)) => assert!(
            message.contains("JUMPCLOUD_REGION is \"mars\", not one of us, eu, in"),
            "{message}"
        ),
        other => panic!("expected Error::Config, got {other:?}"),
    }

    for name in [
        "JUMPCLOUD_API_KEY",
        "JUMPCLOUD_ORG_ID",
        "JUMPCLOUD_REGION",
        "JUMPCLOUD_V1_BASE_URL",
    ] {
        std::env::remove_var(name);
    }
}
