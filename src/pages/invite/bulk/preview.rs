//! The preview table: every row read, ready or with what to fix, fixable in place. Rows are
//! keyed by their CSV line (and what they hold), so an edit redraws one row and a removal
//! never hits another.

use leptos::prelude::*;
use slack_admin_core::invite::preview::{Draft, PreviewRow};
use slack_admin_core::invite::Field;

/// What identifies a drawn row: its line and everything it shows.
fn row_key(r: &PreviewRow) -> String {
    format!("{}|{:?}|{}", r.line, r.fields, r.reason())
}

#[component]
pub fn PreviewTable(
    /// The preview of the draft.
    rows: Memo<Vec<PreviewRow>>,
    /// The rows being fixed.
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let only_problems = RwSignal::new(false);
    let shown = move || {
        rows.with(|rows| {
            rows.iter()
                .filter(|r| !only_problems.get() || !r.is_valid())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="checkbox">
            <input id="only-problems" type="checkbox" bind:checked=only_problems />
            <label for="only-problems">"Show only rows that need attention"</label>
        </div>
        // Focusable so the scrolling region can be scrolled from the keyboard.
        <div class="table-wrap" tabindex="0" role="region" aria-label="Preview rows">
            <table class="preview-table">
                <thead>
                    <tr>
                        <th scope="col">"Line"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Channels"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=shown key=row_key let:row>
                        <PreviewLine row=row draft=draft />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One preview row: text when ready; fields to fix in place when not.
#[component]
fn PreviewLine(row: PreviewRow, draft: RwSignal<Draft>) -> impl IntoView {
    let line = row.line;
    let valid = row.is_valid();
    let invalid_fields: Vec<Field> = row.problems.iter().map(|p| p.field).collect();
    let cell = move |field: Field, value: String| {
        if valid {
            return view! { <span>{value}</span> }.into_any();
        }
        let label = format!("Line {line}: {}", field.label().to_lowercase());
        let invalid = invalid_fields.contains(&field);
        view! {
            <input
                type="text"
                class="cell-input"
                aria-label=label
                aria-invalid=invalid.to_string()
                prop:value=value
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    draft.update(|d| _ = d.set(line, field, v));
                }
            />
        }
        .into_any()
    };
    let f = row.fields.clone();
    let name = if f.name.is_empty() {
        format!("{} {}", f.first_name, f.last_name)
            .trim()
            .to_owned()
    } else {
        f.name.clone()
    };
    let type_text = row
        .invitation
        .as_ref()
        .map(|i| i.member_type.label().to_owned())
        .unwrap_or_else(|| f.member_type.clone());
    let problems: Vec<String> = row.problems.iter().map(|p| p.message.clone()).collect();
    view! {
        <tr class=if valid { "row-ok" } else { "row-problem" }>
            <td>{line}</td>
            <td>{cell(Field::Email, f.email.clone())}</td>
            <td>{if valid { view! { <span>{name}</span> }.into_any() } else { cell(Field::Name, name) }}</td>
            <td>{if valid { view! { <span>{type_text}</span> }.into_any() } else { cell(Field::MemberType, f.member_type.clone()) }}</td>
            <td>{cell(Field::Channels, f.channels.clone())}</td>
            <td>
                {if valid {
                    view! { <span class="status-ok">"Ready"</span> }.into_any()
                } else {
                    view! {
                        <ul class="problems">
                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                        <button
                            type="button"
                            class="button link"
                            aria-label=format!("Leave out line {line}")
                            on:click=move |_| draft.update(|d| _ = d.remove(line))
                        >
                            "Leave out"
                        </button>
                    }
                    .into_any()
                }}
            </td>
        </tr>
    }
}
