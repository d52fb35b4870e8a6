//! A directory audit: who is in the organization, which groups they are in, which systems and
//! policies apply to them, and what commands ran. Twenty operations across API v1, API v2 and
//! Directory Insights, called as a program of one's own would call them.
//!
//! ```sh
//! JUMPCLOUD_API_KEY=… cargo run -p jumpcloud-sdk --example directory_audit
//! # or against a mock server: JUMPCLOUD_BASE_URL=http://127.0.0.1:4010 (add allow_http)
//! ```
//!
//! `cargo xtask bench` builds it to measure what calling operations costs a downstream crate's
//! own compile time.

use jumpcloud_sdk::models::{
    GraphOperationOp, GraphOperationUserGroupMember, GraphOperationUserGroupMemberType,
    UserGroupPost,
};
use jumpcloud_sdk::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;

    // API v1: users, their keys, systems, commands and their results.
    let users = client
        .systemusers()
        .list()
        .limit(100)
        .await?
        .results
        .unwrap_or_default();
    println!("users: {}", users.len());
    let first_user = users.first().and_then(|user| user.id.clone());
    if let Some(user_id) = &first_user {
        let user = client.systemusers().get(user_id).await?;
        println!("first user: {}", user.username.unwrap_or_default());
        let keys = client.systemusers().list_sshkey(user_id).await?;
        println!("ssh keys: {}", keys.len());
        let groups = client.users().get_member_of(user_id).await?;
        println!("groups of the first user: {}", groups.len());
    }
    let systems = client
        .systems()
        .list()
        .limit(100)
        .await?
        .results
        .unwrap_or_default();
    println!("systems: {}", systems.len());
    if let Some(system_id) = systems.first().and_then(|s| s.id.clone()) {
        let system = client.systems().get(&system_id).await?;
        println!("first system: {}", system.hostname.unwrap_or_default());
        let policies = client.systems().traverse_policy(&system_id).await?;
        println!("policies on it: {}", policies.len());
    }
    let commands = client.commands().list().await?.results.unwrap_or_default();
    println!("commands: {}", commands.len());
    if let Some(command_id) = commands.first().and_then(|c| c.id.clone()) {
        let results = client.commands().get_results(&command_id).await?;
        println!("results of the first command: {}", results.len());
    }
    let command_results = client.command_results().list().await?;
    println!(
        "command results: {}",
        command_results.results.map_or(0, |r| r.len())
    );
    let applications = client.applications().list().await?;
    println!(
        "applications: {}",
        applications.results.map_or(0, |r| r.len())
    );

    // API v2: groups, membership, policies.
    let user_groups = client.user_groups().list_all().limit(100).await?;
    println!("user groups: {}", user_groups.len());
    if let Some(group_id) = user_groups.first().and_then(|g| g.id.clone()) {
        let group = client.user_groups().get_details(&group_id).await?;
        println!("first group: {}", group.name.unwrap_or_default());
        let members = client.user_groups().list_members(&group_id).await?;
        println!("its members: {}", members.len());
    }
    let system_groups = client.system_groups().list_all().await?;
    println!("system groups: {}", system_groups.len());
    if let Some(group_id) = system_groups.first().and_then(|g| g.id.clone()) {
        let members = client.system_groups().list_members(&group_id).await?;
        println!("members of the first system group: {}", members.len());
    }
    let policies = client.policies().list().await?;
    println!("policies: {}", policies.len());
    if let Some(policy_id) = policies.first().and_then(|p| p.id.clone()) {
        let users = client.policies().traverse_user(&policy_id).await?;
        println!("users under the first policy: {}", users.len());
    }

    // A group for the audit's findings, with the first user in it.
    let audit = client
        .user_groups()
        .create_new_group()
        .body(UserGroupPost::new("audit-findings"))
        .await?;
    if let (Some(group_id), Some(user_id)) = (audit.id, first_user) {
        client
            .user_groups()
            .post_members(&group_id)
            .body(GraphOperationUserGroupMember::new(
                user_id,
                GraphOperationOp::Add,
                GraphOperationUserGroupMemberType::User,
            ))
            .await?;
    }

    // Directory Insights: the reports on file.
    let reports = client.directory_insights().list_reports().await?;
    println!("reports: {}", reports.len());
    Ok(())
}
