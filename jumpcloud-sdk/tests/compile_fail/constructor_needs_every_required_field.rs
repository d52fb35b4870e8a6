// The constructor takes the id, the operation and the member's type: all three.
use jumpcloud_sdk::models::GraphOperationUserGroupMember;

fn main() {
    let _member = GraphOperationUserGroupMember::new("5f1a…", "add");
}
