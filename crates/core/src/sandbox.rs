//! The sandbox org's sign-ins: fake tokens that only the simulated Slack accepts, and who each
//! one is. They live here, not in the sim, so that the connect page can offer them without
//! loading the simulated org (the sim's own token table is built from this one).

/// (token, who): the token is fake and safe to show.
pub const TOKENS: &[(&str, &str)] = &[
    (
        "xoxp-sandbox-org-admin",
        "Mateo García, an org admin (not owner) of Northwind Trading (Enterprise Grid), with the admin scopes",
    ),
    (
        "xoxp-sandbox-org-owner",
        "Ingrid Solberg, the primary owner of Northwind Trading, with the admin scopes",
    ),
    (
        "xoxp-sandbox-member",
        "Priya Raman, a regular member of Northwind HQ, without admin scopes",
    ),
    (
        "xoxp-sandbox-legacy",
        "Rosa Delgado, an admin of Harbor Bakery Co-op (Pro, not Grid): a legacy token, scope client",
    ),
    (
        "xoxp-sandbox-legacy-sso",
        "Sigrid Haugen, an admin of Fjord Analytics (Business+, SSO required): a legacy token, scope client",
    ),
    (
        "xoxb-sandbox-bot",
        "Northwind Helper, a bot in Northwind HQ",
    ),
];
