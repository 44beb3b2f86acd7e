//! The console module: every page, loaded by the entrance once connected and started with
//! the connection it made. See `console_module`.

use slack_admin_console::console_module;
use slack_admin_console::sandbox;

fn main() {
    console_error_panic_hook::set_once();
    console_module::offer_start(|handover, worker| {
        if let Some(worker) = worker {
            sandbox::Worker::adopt(worker);
        }
        // Connected on the start page: begin on the overview, as the connect page would
        // redirect (and so that no redirect can overtake the admin's first click).
        slack_admin_console::console_module::start_on_overview();
        leptos::mount::mount_to_body(move || {
            leptos::view! { <slack_admin_console::App handover=handover.clone() /> }
        });
    });
}
