//! The entrance module: the first load (the connect page). See `console_module`.

fn main() {
    console_error_panic_hook::set_once();
    slack_admin_console::entrance::mount();
}
