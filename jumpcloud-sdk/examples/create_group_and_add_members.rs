//! Creates a user group and adds a user to it (API v2). A body's required fields are its
//! constructor's arguments; optional ones are assigned.
//!
//! `JUMPCLOUD_API_KEY=… JUMPCLOUD_USER_ID=… cargo run --example create_group_and_add_members`
use jumpcloud_sdk::models::{
    GraphOperationOp, GraphOperationUserGroupMember, GraphOperationUserGroupMemberType,
    UserGroupPost,
};
use jumpcloud_sdk::Client;

#[tokio::main]
async fn main() -> Result<(), jumpcloud_sdk::Error> {
    let client = Client::from_env()?;
    let user_id =
        std::env::var("JUMPCLOUD_USER_ID").unwrap_or_else(|_| "5f1a00000000000000000001".into());
    let mut body = UserGroupPost::new("engineering");
    body.description = Some("Everyone who ships code".into());
    let group = client.user_groups().create_new_group().body(body).await?;
    let group_id = group.id.unwrap_or_default();
    client
        .user_groups()
        .post_members(&group_id)
        .body(GraphOperationUserGroupMember::new(
            user_id.as_str(),
            GraphOperationOp::Add,
            GraphOperationUserGroupMemberType::User,
        ))
        .await?;
    let members = client.user_groups().list_members(&group_id).await?;
    println!("group {group_id} has {} member(s)", members.len());
    Ok(())
}
