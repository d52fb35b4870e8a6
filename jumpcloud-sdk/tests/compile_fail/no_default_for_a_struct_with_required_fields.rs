// `Default` would make an empty request body: a struct with required fields has none.
use jumpcloud_sdk::models::UserGroupPost;

fn main() {
    let _group = UserGroupPost::default();
}
