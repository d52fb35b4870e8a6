// An API error's parts are read through accessors, so new ones can be added.
fn status(error: &jumpcloud_sdk::ApiError) -> u16 {
    error.status.as_u16()
}

fn main() {}
