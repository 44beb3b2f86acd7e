//! Many invitations: paste or upload CSV, map its columns, fix rows in the preview, send as a
//! paced job with progress, then read and export the results.

mod importer;
mod job_panel;
mod preview;
mod results;

use crate::job::InviteJob;
use crate::session::Session;
use importer::Importer;
use job_panel::JobPanel;
use leptos::prelude::*;

#[component]
pub fn BulkInvite() -> impl IntoView {
    let session = expect_context::<Session>();
    let job = expect_context::<InviteJob>();
    if let Some(c) = session.connection() {
        job.show_for(&c);
    }
    let shown = Memo::new(move |_| job.is_shown());
    move || {
        if shown.get() {
            view! { <JobPanel /> }.into_any()
        } else {
            view! { <Importer /> }.into_any()
        }
    }
}
