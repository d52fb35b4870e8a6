// A member operation without its id: `..Default::default()` would send `"id":""`.
use jumpcloud_sdk::models::{GraphOperationOp, GraphOperationUserGroupMember};

fn main() {
    let _member = GraphOperationUserGroupMember {
        op: GraphOperationOp::Add,
        ..Default::default()
    };
}
