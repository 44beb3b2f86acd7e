//! The results of the job: every row with its outcome, filterable, keyed by line so that a
//! row's change redraws that row only.

use leptos::prelude::*;
use slack_admin_core::invite::job::Work;
use slack_admin_core::invite::job::{ResultFilter, RowResult};
use slack_admin_core::invite::InviteRoute;

fn row_key(r: &RowResult) -> (usize, &'static str, u32, String) {
    (r.line, r.outcome_word(), r.sends, r.detail.clone())
}

#[component]
pub fn Results(results: Memo<Vec<RowResult>>) -> impl IntoView {
    let filter = RwSignal::new(ResultFilter::All);
    let shown = move || {
        let f = filter.get();
        results.with(|rs| {
            rs.iter()
                .filter(|r| f.matches(r))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="subsection" aria-labelledby="results-heading">
            <h3 id="results-heading">"Results"</h3>
            <div class="field results-filter">
                <label for="results-filter">"Show"</label>
                <select id="results-filter" on:change=move |ev| filter.set(ResultFilter::parse(&event_target_value(&ev)))>
                    <option value="">"Every row"</option>
                    {<InviteRoute as Work>::KINDS.iter().map(|k| view! { <option value=k.word()>{k.label()}</option> }).collect_view()}
                    <option value="pending">"Not done yet"</option>
                </select>
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Results">
                <table class="results-table">
                    <thead>
                        <tr>
                            <th scope="col">"Line"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Outcome"</th>
                            <th scope="col">"Detail"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=shown key=row_key let:r>
                            <tr>
                                <td>{r.line}</td>
                                <td>{r.email.clone()}</td>
                                <td><span class=format!("outcome outcome-{}", r.outcome_word())>{r.outcome_label()}</span></td>
                                <td>{r.detail_with_code()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
