//! The sandbox org, built deterministically from the seed.
//!
//! - **Northwind Trading** (`E07NW4TRD`), an Enterprise Grid org with three workspaces:
//!   Northwind HQ (`T07NW4HQ1`), Northwind Operations (`T07NW4OPS`), Northwind Labs
//!   (`T07NW4LAB`); 30 hand-made users of every kind (IDs `W0A1C0001`…`W0A1C001E`), then
//!   generated ones up to `SimConfig::members`; 24 channels per workspace; pending, approved
//!   and denied invite requests; pending invitations.
//! - **Harbor Bakery Co-op** (`T03HRBKRY`), a Pro workspace reached with a legacy token, with
//!   a deactivated member.
//! - **Fjord Analytics** (`T05FJRDSO`), a Business+ workspace with SSO required.
//!
//! Dates are laid out around [`FIXTURE_NOW`] and shifted to the sim's clock at its first
//! request.

use crate::names;
use crate::prng::Rng;
use crate::state::requests::NewRequest;
use crate::state::{
    Channel, Enterprise, Invitation, InviteState, Plan, Role, State, Team, Tenant, User,
};
use slack_admin_core::methods::admin_invite_requests::{
    Actor, ApprovedRequest, DeniedRequest, Invite, InvitePreferences, InviteRequest, InviteType,
};
use slack_admin_core::{ChannelId, EnterpriseId, TeamId, UserId};
use std::collections::HashMap;

/// 2026-01-01T00:00:00Z: the fixture's "now" before it is shifted to the sim's clock.
pub const FIXTURE_NOW: i64 = 1_767_225_600;
const DAY: i64 = 86_400;

pub const ORG_ID: &str = "E07NW4TRD";
pub const ORG_NAME: &str = "Northwind Trading";
pub const HQ: &str = "T07NW4HQ1";
pub const OPS: &str = "T07NW4OPS";
pub const LABS: &str = "T07NW4LAB";
pub const BAKERY: &str = "T03HRBKRY";
pub const FJORD: &str = "T05FJRDSO";

/// Tenant indexes in [`State::tenants`].
pub const GRID: usize = 0;
pub const BAKERY_TENANT: usize = 1;
pub const FJORD_TENANT: usize = 2;

/// Notable users and objects, for tests and docs.
pub mod ids {
    pub const PRIMARY_OWNER: &str = "W0A1C0001";
    pub const ORG_ADMIN: &str = "W0A1C0002";
    pub const MEMBER: &str = "W0A1C0003";
    pub const OWNER: &str = "W0A1C0004";
    pub const WORKSPACE_OWNER: &str = "W0A1C0005";
    pub const WORKSPACE_ADMIN: &str = "W0A1C0006";
    pub const BOLD_BOB: &str = "W0A1C0008";
    pub const TOM_AND_JERRY: &str = "W0A1C0009";
    /// Multi-channel guest with an expiration.
    pub const GUEST_EXPIRING: &str = "W0A1C000A";
    /// Multi-channel guest without expiration.
    pub const GUEST: &str = "W0A1C000B";
    /// Single-channel guest with an expiration.
    pub const SINGLE_GUEST_EXPIRING: &str = "W0A1C000C";
    /// Single-channel guest without expiration.
    pub const SINGLE_GUEST: &str = "W0A1C000D";
    pub const DEACTIVATED: &str = "W0A1C000E";
    pub const DEACTIVATED_GUEST: &str = "W0A1C000F";
    /// The bot user of `xoxb-sandbox-bot`.
    pub const BOT: &str = "W0A1C0010";
    pub const JIRA_BOT: &str = "W0A1C0011";
    /// A full member of all three workspaces.
    pub const EVERYWHERE: &str = "W0A1C0012";
    /// A multi-channel guest on two workspaces (HQ and Operations).
    pub const TWO_WORKSPACE_GUEST: &str = "W0A1C0013";
    /// An active org member on no workspace.
    pub const NO_WORKSPACE: &str = "W0A1C0017";
    /// Another org-level admin.
    pub const ORG_ADMIN_2: &str = "W0A1C0018";
    pub const BAKERY_ADMIN: &str = "U03B00001";
    pub const BAKERY_OWNER: &str = "U03B00002";
    pub const BAKERY_DEACTIVATED: &str = "U03B00003";
    pub const FJORD_ADMIN: &str = "U05F00001";
    pub const FJORD_OWNER: &str = "U05F00002";
    /// #general of each workspace.
    pub const HQ_GENERAL: &str = "C07A10001";
    pub const OPS_GENERAL: &str = "C07A20001";
    pub const LABS_GENERAL: &str = "C07A30001";
    pub const BAKERY_GENERAL: &str = "C03C10001";
    pub const FJORD_GENERAL: &str = "C05C10001";
    /// First pending invite request (HQ, full member).
    pub const PENDING_REQUEST: &str = "Ir0000001";
}

/// The fixture's addresses worth knowing.
pub mod emails {
    pub const PRIMARY_OWNER: &str = "ingrid.solberg@northwind.example";
    pub const MEMBER: &str = "priya.raman@northwind.example";
    pub const DEACTIVATED: &str = "dmitri.volkov@northwind.example";
    /// Invited to HQ, not yet accepted.
    pub const INVITED: &str = "noah.williams@northwind.example";
    pub const BAKERY_MEMBER: &str = "pierre.lefevre@harborbakery.example";
    pub const BAKERY_DEACTIVATED: &str = "greta.schmidt@harborbakery.example";
    /// Invited to the bakery three days ago: resending works.
    pub const BAKERY_INVITED: &str = "apprentice@harborbakery.example";
    /// Invited to the bakery ten minutes ago: resending is `sent_recently`.
    pub const BAKERY_INVITED_RECENTLY: &str = "new.baker@harborbakery.example";
}

/// Default size of the Grid org: users in `admin.users.list` (all kinds).
pub const DEFAULT_MEMBERS: usize = slack_admin_core::sandbox::DEFAULT_MEMBERS;

struct Person {
    n: u64,
    name: &'static str,
    first: &'static str,
    last: &'static str,
    handle: &'static str,
    role: Role,
    org_level: bool,
    teams: &'static [&'static str],
    active: bool,
    expires_in_days: Option<i64>,
    bot: bool,
    domain: &'static str,
}

const fn person(
    n: u64,
    name: &'static str,
    first: &'static str,
    last: &'static str,
    handle: &'static str,
    role: Role,
    teams: &'static [&'static str],
) -> Person {
    Person {
        n,
        name,
        first,
        last,
        handle,
        role,
        org_level: false,
        teams,
        active: true,
        expires_in_days: None,
        bot: false,
        domain: "northwind.example",
    }
}

const ALL: &[&str] = &[HQ, OPS, LABS];

fn grid_people() -> Vec<Person> {
    use Role::*;
    let org = |mut p: Person| {
        p.org_level = true;
        p
    };
    let guest = |mut p: Person, days: Option<i64>, domain| {
        p.expires_in_days = days;
        p.domain = domain;
        p
    };
    let off = |mut p: Person| {
        p.active = false;
        p
    };
    let bot = |mut p: Person| {
        p.bot = true;
        p
    };
    vec![
        org(person(
            1,
            "Ingrid Solberg",
            "Ingrid",
            "Solberg",
            "ingrid.solberg",
            PrimaryOwner,
            ALL,
        )),
        org(person(
            2,
            "Mateo García",
            "Mateo",
            "García",
            "mateo.garcia",
            Admin,
            ALL,
        )),
        person(
            3,
            "Priya Raman",
            "Priya",
            "Raman",
            "priya.raman",
            Regular,
            &[HQ],
        ),
        org(person(
            4,
            "Kwame Mensah",
            "Kwame",
            "Mensah",
            "kwame.mensah",
            Owner,
            &[HQ, OPS],
        )),
        person(
            5,
            "Zoë Ångström",
            "Zoë",
            "Ångström",
            "zoe.angstrom",
            Owner,
            &[LABS],
        ),
        person(
            6,
            "José Müller",
            "José",
            "Müller",
            "jose.muller",
            Admin,
            &[HQ],
        ),
        person(7, "山田太郎", "太郎", "山田", "taro.yamada", Admin, &[OPS]),
        person(
            8,
            "<b>Bold</b> Bob",
            "<b>Bold</b>",
            "Bob",
            "bob.bold",
            Regular,
            &[HQ],
        ),
        person(
            9,
            "Tom & \"Jerry\"",
            "Tom",
            "& \"Jerry\"",
            "tom.jerry",
            Regular,
            &[HQ, OPS],
        ),
        guest(
            person(
                10,
                "Olivia Chen",
                "Olivia",
                "Chen",
                "olivia.chen",
                Guest,
                &[HQ],
            ),
            Some(45),
            "contractor.example",
        ),
        guest(
            person(
                11,
                "Lars Eriksen",
                "Lars",
                "Eriksen",
                "lars.eriksen",
                Guest,
                &[OPS],
            ),
            None,
            "freight.example",
        ),
        guest(
            person(
                12,
                "Amara Okafor",
                "Amara",
                "Okafor",
                "amara.okafor",
                SingleChannelGuest,
                &[HQ],
            ),
            Some(14),
            "agency.example",
        ),
        guest(
            person(
                13,
                "Chloé Dubois",
                "Chloé",
                "Dubois",
                "chloe.dubois",
                SingleChannelGuest,
                &[LABS],
            ),
            None,
            "partner.example",
        ),
        off(person(
            14,
            "Dmitri Volkov",
            "Dmitri",
            "Volkov",
            "dmitri.volkov",
            Regular,
            &[HQ],
        )),
        off(guest(
            person(
                15,
                "Fatima Al-Sayed",
                "Fatima",
                "Al-Sayed",
                "fatima.alsayed",
                Guest,
                &[OPS],
            ),
            None,
            "partner.example",
        )),
        bot(person(
            16,
            "Northwind Helper",
            "Northwind",
            "Helper",
            "northwind_helper",
            Regular,
            &[HQ],
        )),
        bot(person(
            17,
            "Jira Cloud",
            "Jira",
            "Cloud",
            "jira",
            Regular,
            &[HQ, OPS],
        )),
        person(
            18,
            "Aroha Ngata",
            "Aroha",
            "Ngata",
            "aroha.ngata",
            Regular,
            ALL,
        ),
        guest(
            person(
                19,
                "Ravi Patel",
                "Ravi",
                "Patel",
                "ravi.patel",
                Guest,
                &[HQ, OPS],
            ),
            Some(90),
            "auditors.example",
        ),
        person(
            20,
            "محمد الأحمد",
            "محمد",
            "الأحمد",
            "mohammed.alahmad",
            Regular,
            &[OPS],
        ),
        person(
            21,
            "Felix 🦊 Fuchs",
            "Felix",
            "Fuchs",
            "felix.fuchs",
            Regular,
            &[LABS],
        ),
        person(
            22,
            "Eve <img src=x onerror=alert(1)>",
            "Eve",
            "<img src=x onerror=alert(1)>",
            "eve.hacker",
            Regular,
            &[HQ],
        ),
        person(
            23,
            "Nadia Petrova",
            "Nadia",
            "Petrova",
            "nadia.petrova",
            Regular,
            &[],
        ),
        org(person(
            24,
            "Beatriz Santos",
            "Beatriz",
            "Santos",
            "beatriz.santos",
            Admin,
            &[HQ, OPS],
        )),
        person(
            25,
            "Siobhán Ó Briain",
            "Siobhán",
            "Ó Briain",
            "siobhan.obriain",
            Regular,
            &[HQ],
        ),
        person(
            26,
            "Łukasz Wróbel",
            "Łukasz",
            "Wróbel",
            "lukasz.wrobel",
            Regular,
            &[OPS],
        ),
        guest(
            person(
                27,
                "Ελένη Παπαδοπούλου",
                "Ελένη",
                "Παπαδοπούλου",
                "eleni.papadopoulou",
                Guest,
                &[LABS],
            ),
            Some(30),
            "partner.example",
        ),
        person(
            28,
            "Nguyễn Văn An",
            "An",
            "Nguyễn",
            "an.nguyen",
            Regular,
            &[HQ],
        ),
        person(
            29,
            "Ana \"Ani\" O'Connor-Smith",
            "Ana",
            "O'Connor-Smith",
            "ana.oconnor",
            Regular,
            &[HQ],
        ),
        off(person(
            30,
            "Hans Becker",
            "Hans",
            "Becker",
            "hans.becker",
            Admin,
            &[HQ],
        )),
    ]
}

fn bakery_people() -> Vec<Person> {
    use Role::*;
    let d = |mut p: Person| {
        p.domain = "harborbakery.example";
        p
    };
    let mut off = d(person(
        3,
        "Greta Schmidt",
        "Greta",
        "Schmidt",
        "greta.schmidt",
        Regular,
        &[BAKERY],
    ));
    off.active = false;
    vec![
        d(person(
            1,
            "Rosa Delgado",
            "Rosa",
            "Delgado",
            "rosa.delgado",
            Admin,
            &[BAKERY],
        )),
        d(person(
            2,
            "Pierre Lefèvre",
            "Pierre",
            "Lefèvre",
            "pierre.lefevre",
            PrimaryOwner,
            &[BAKERY],
        )),
        off,
        d(person(
            4,
            "Mette Kjær",
            "Mette",
            "Kjær",
            "mette.kjaer",
            Regular,
            &[BAKERY],
        )),
    ]
}

fn fjord_people() -> Vec<Person> {
    use Role::*;
    let d = |mut p: Person| {
        p.domain = "fjordanalytics.example";
        p
    };
    vec![
        d(person(
            1,
            "Sigrid Haugen",
            "Sigrid",
            "Haugen",
            "sigrid.haugen",
            Admin,
            &[FJORD],
        )),
        d(person(
            2,
            "Ola Nordmann",
            "Ola",
            "Nordmann",
            "ola.nordmann",
            PrimaryOwner,
            &[FJORD],
        )),
        d(person(
            3,
            "Kari Nordmann",
            "Kari",
            "Nordmann",
            "kari.nordmann",
            Regular,
            &[FJORD],
        )),
    ]
}

const HQ_CHANNELS: &[(&str, bool, bool)] = &[
    ("general", false, false),
    ("random", false, false),
    ("announcements", false, false),
    ("engineering", false, false),
    ("design", false, false),
    ("product", false, false),
    ("sales", false, false),
    ("marketing", false, false),
    ("support", false, false),
    ("finance", false, false),
    ("finance-audit", true, false),
    ("hr", true, false),
    ("leadership", true, false),
    ("it-helpdesk", false, false),
    ("office-london", false, false),
    ("office-tokyo", false, false),
    ("shipping", false, false),
    ("social", false, false),
    ("café", false, false),
    ("incidents", false, false),
    ("security", true, false),
    ("legal", true, false),
    ("project-atlas", false, false),
    ("old-website", false, true),
    ("events", false, false),
    ("book-club", false, false),
];

const OPS_CHANNELS: &[(&str, bool, bool)] = &[
    ("general", false, false),
    ("random", false, false),
    ("warehouse-rotterdam", false, false),
    ("warehouse-osaka", false, false),
    ("fleet", false, false),
    ("dispatch", false, false),
    ("carrier-acme", false, false),
    ("carrier-nordlog", false, false),
    ("customs", false, false),
    ("safety", false, false),
    ("night-shift", false, false),
    ("procurement", false, false),
    ("inventory", false, false),
    ("returns", false, false),
    ("forecasting", false, false),
    ("ops-leads", true, false),
    ("contracts", true, false),
    ("payroll-ops", true, false),
    ("incidents-ops", false, false),
    ("training", false, false),
    ("tools", false, false),
    ("shift-swaps", false, false),
    ("peak-2025", false, true),
    ("kudos", false, false),
];

const LABS_CHANNELS: &[(&str, bool, bool)] = &[
    ("general", false, false),
    ("random", false, false),
    ("research", false, false),
    ("route-optimisation", false, false),
    ("ml-models", false, false),
    ("data-platform", false, false),
    ("experiments", false, false),
    ("papers", false, false),
    ("reading-group", false, false),
    ("gpu-cluster", false, false),
    ("hackweek", false, false),
    ("prototypes", false, false),
    ("ux-research", false, false),
    ("partnerships", false, false),
    ("uni-collab", false, false),
    ("patents", true, false),
    ("labs-leads", true, false),
    ("budget", true, false),
    ("demos", false, false),
    ("infra", false, false),
    ("benchmarks", false, false),
    ("help", false, false),
    ("labs-2024", false, true),
    ("日本-team", false, false),
];

const BAKERY_CHANNELS: &[(&str, bool, bool)] = &[
    ("general", false, false),
    ("random", false, false),
    ("orders", false, false),
    ("deliveries", false, false),
    ("recipes", false, false),
    ("managers", true, false),
];

const FJORD_CHANNELS: &[(&str, bool, bool)] = &[
    ("general", false, false),
    ("random", false, false),
    ("analytics", false, false),
    ("dashboards", false, false),
    ("client-nordlys", false, false),
    ("leadership", true, false),
];

/// Builds the whole sandbox.
pub fn build(seed: u64, members: usize) -> State {
    let mut rng = Rng::new(seed);
    let grid = build_grid(&mut rng, members.max(30));
    let bakery = build_standalone(
        &mut rng,
        Team {
            id: TeamId::new(BAKERY),
            name: "Harbor Bakery Co-op".into(),
            domain: "harbor-bakery".into(),
            email_domain: "harborbakery.example".into(),
            discoverability: "invite_only",
            sso: false,
            primary_owner: UserId::new(ids::BAKERY_OWNER),
            created: FIXTURE_NOW - 2900 * DAY,
        },
        Plan::Pro,
        0x03B0_0000,
        0x03C1_0000,
        bakery_people(),
        BAKERY_CHANNELS,
        22,
    );
    let fjord = build_standalone(
        &mut rng,
        Team {
            id: TeamId::new(FJORD),
            name: "Fjord Analytics".into(),
            domain: "fjord-analytics".into(),
            email_domain: "fjordanalytics.example".into(),
            discoverability: "closed",
            sso: true,
            primary_owner: UserId::new(ids::FJORD_OWNER),
            created: FIXTURE_NOW - 1500 * DAY,
        },
        Plan::BusinessPlus,
        0x05F0_0000,
        0x05C1_0000,
        fjord_people(),
        FJORD_CHANNELS,
        18,
    );
    let mut state = State {
        tenants: vec![grid, bakery, fjord],
        seed,
        revoked: Default::default(),
    };
    add_standalone_invitations(&mut state);
    state
}

fn make_user(p: &Person, id: UserId, rng: &mut Rng) -> User {
    let email = if p.bot {
        String::new()
    } else {
        format!("{}@{}", p.handle, p.domain)
    };
    User {
        id,
        email,
        username: p.handle.to_owned(),
        real_name: p.name.to_owned(),
        display_name: p.first.to_owned(),
        first_name: p.first.to_owned(),
        last_name: p.last.to_owned(),
        role: p.role,
        org_level: p.org_level,
        is_bot: p.bot,
        bot_id: p.bot.then(|| format!("B0{:07X}", 0x0A1_0000 + p.n)),
        workspaces: p.teams.iter().map(|t| TeamId::new(*t)).collect(),
        active: p.active,
        date_created: FIXTURE_NOW - (400 + rng.below(2000) as i64) * DAY,
        deactivated_ts: (!p.active).then(|| FIXTURE_NOW - (5 + rng.below(200) as i64) * DAY),
        expiration_ts: p.expires_in_days.map(|d| FIXTURE_NOW + d * DAY),
        has_2fa: p.role.is_admin() || rng.chance(0.5),
        has_sso: false,
    }
}

fn add_channels(
    tenant: &mut Tenant,
    team: &str,
    base: u64,
    list: &[(&str, bool, bool)],
    rng: &mut Rng,
) {
    let size = tenant
        .users
        .values()
        .filter(|u| u.active && u.workspaces.iter().any(|t| t.as_str() == team))
        .count() as u64;
    for (i, (name, private, archived)) in list.iter().enumerate() {
        let id = ChannelId(format!("C{:08X}", base + i as u64 + 1));
        let num_members = if i == 0 {
            size
        } else {
            1 + rng.below((size / 2).max(2))
        } as u32;
        tenant.channels.insert(
            id.clone(),
            Channel {
                id,
                team_id: TeamId::new(team),
                name: (*name).to_owned(),
                is_private: *private,
                is_archived: *archived,
                is_general: i == 0,
                num_members,
            },
        );
    }
}

fn build_grid(rng: &mut Rng, members: usize) -> Tenant {
    let mut t = Tenant::new(
        Some(Enterprise {
            id: EnterpriseId::new(ORG_ID),
            name: ORG_NAME.into(),
            domain: "northwind-trading".into(),
        }),
        Plan::Enterprise,
        'W',
        0x0A1C_0000,
    );
    let owner = UserId::new(ids::PRIMARY_OWNER);
    for (id, name, domain, disc, days) in [
        (HQ, "Northwind HQ", "northwind-hq", "open", 2400),
        (
            OPS,
            "Northwind Operations",
            "northwind-ops",
            "invite_only",
            1800,
        ),
        (LABS, "Northwind Labs", "northwind-labs", "unlisted", 700),
    ] {
        t.teams.push(Team {
            id: TeamId::new(id),
            name: name.into(),
            domain: domain.into(),
            email_domain: "northwind.example".into(),
            discoverability: disc,
            sso: false,
            primary_owner: owner.clone(),
            created: FIXTURE_NOW - days * DAY,
        });
    }
    let people = grid_people();
    for p in &people {
        let id = UserId(format!("W{:08X}", 0x0A1C_0000 + p.n));
        let user = make_user(p, id, rng);
        t.insert_user(user);
    }
    t.next_user = 0x100;
    let mut handles: HashMap<String, u32> = HashMap::new();
    let generated = members.saturating_sub(people.len());
    for _ in 0..generated {
        let id = t.next_user_id();
        let user = generated_user(rng, id, &mut handles);
        t.insert_user(user);
    }
    add_channels(&mut t, HQ, 0x07A1_0000, HQ_CHANNELS, rng);
    add_channels(&mut t, OPS, 0x07A2_0000, OPS_CHANNELS, rng);
    add_channels(&mut t, LABS, 0x07A3_0000, LABS_CHANNELS, rng);
    add_grid_invitations(&mut t);
    add_grid_requests(&mut t);
    t
}

fn generated_user(rng: &mut Rng, id: UserId, handles: &mut HashMap<String, u32>) -> User {
    let r = rng.unit();
    let (role, bot) = if r < 0.012 {
        (Role::Admin, false)
    } else if r < 0.045 {
        (Role::Guest, false)
    } else if r < 0.07 {
        (Role::SingleChannelGuest, false)
    } else if r < 0.075 {
        (Role::Regular, true)
    } else {
        (Role::Regular, false)
    };
    let (first, first_ascii) = *rng.pick(names::FIRST);
    let (last, last_ascii) = *rng.pick(names::LAST);
    let (real_name, base) = if bot {
        let app = *rng.pick(names::BOTS);
        (app.to_owned(), app.to_lowercase().replace(' ', "_"))
    } else {
        (
            format!("{first} {last}"),
            format!("{first_ascii}.{last_ascii}"),
        )
    };
    let count = handles.entry(base.clone()).or_insert(0);
    *count += 1;
    let handle = if *count == 1 {
        base
    } else {
        format!("{base}{count}")
    };
    let workspaces: Vec<TeamId> = if role.is_guest() {
        let t = [HQ, HQ, OPS, LABS][rng.below(4) as usize];
        vec![TeamId::new(t)]
    } else {
        let mut w: Vec<TeamId> = Vec::new();
        for (team, p) in [(HQ, 0.8), (OPS, 0.35), (LABS, 0.2)] {
            if rng.chance(p) {
                w.push(TeamId::new(team));
            }
        }
        if w.is_empty() {
            w.push(TeamId::new(HQ));
        }
        w
    };
    let active = bot || rng.chance(0.95);
    let domain = if role.is_guest() {
        *rng.pick(names::GUEST_DOMAINS)
    } else {
        "northwind.example"
    };
    let expiration_ts = (role.is_guest() && rng.chance(0.5))
        .then(|| FIXTURE_NOW + (7 + rng.below(200) as i64) * DAY);
    User {
        email: if bot {
            String::new()
        } else {
            format!("{handle}@{domain}")
        },
        username: handle,
        display_name: if bot {
            real_name.clone()
        } else {
            first.to_owned()
        },
        first_name: if bot { String::new() } else { first.to_owned() },
        last_name: if bot { String::new() } else { last.to_owned() },
        real_name,
        role,
        org_level: false,
        is_bot: bot,
        bot_id: bot.then(|| format!("B{}", &id.as_str()[1..])),
        workspaces,
        active,
        date_created: FIXTURE_NOW - (1 + rng.below(5 * 365) as i64) * DAY,
        deactivated_ts: (!active).then(|| FIXTURE_NOW - (1 + rng.below(300) as i64) * DAY),
        expiration_ts,
        has_2fa: rng.chance(0.55),
        has_sso: false,
        id,
    }
}

#[allow(clippy::too_many_arguments)]
fn build_standalone(
    rng: &mut Rng,
    team: Team,
    plan: Plan,
    user_base: u64,
    channel_base: u64,
    people: Vec<Person>,
    channels: &[(&str, bool, bool)],
    size: usize,
) -> Tenant {
    let prefix = 'U';
    let mut t = Tenant::new(None, plan, prefix, user_base);
    let team_id = team.id.clone();
    let domain = team.email_domain.clone();
    let sso = team.sso;
    t.teams.push(team);
    for p in &people {
        let id = UserId(format!("{prefix}{:08X}", user_base + p.n));
        let mut user = make_user(p, id, rng);
        user.has_sso = sso;
        t.insert_user(user);
    }
    t.next_user = 0x100;
    let mut handles: HashMap<String, u32> = HashMap::new();
    for _ in people.len()..size {
        let id = t.next_user_id();
        let mut user = generated_user(rng, id, &mut handles);
        user.workspaces = vec![team_id.clone()];
        user.org_level = false;
        user.has_sso = sso;
        if !user.is_bot && !user.role.is_guest() {
            user.email = format!("{}@{domain}", user.username);
        }
        t.insert_user(user);
    }
    add_channels(&mut t, team_id.as_str(), channel_base, channels, rng);
    t
}

/// A pending invitation of the fixture: (team, email, type, channels, inviter, days ago).
type Sent = (
    &'static str,
    &'static str,
    InviteType,
    &'static [&'static str],
    &'static str,
    f64,
);

fn add_invitations(t: &mut Tenant, list: &[Sent]) {
    for &(team, email, invite_type, channels, inviter, days_ago) in list {
        let key = t.new_invitation_key();
        let invitation = Invitation {
            id: format!("I{:08X}", 0x0B00_0000 + key),
            team_id: TeamId::new(team),
            email: email.into(),
            invite_type,
            channel_ids: channels.iter().map(|c| ChannelId::new(*c)).collect(),
            inviter_id: Some(UserId::new(inviter)),
            real_name: None,
            guest_expiration_ts: None,
            date_created: FIXTURE_NOW - (days_ago * DAY as f64) as i64,
            date_resent: None,
            accept_at: None,
            state: InviteState::Pending,
        };
        t.insert_invitation(key, invitation);
    }
}

fn add_grid_invitations(t: &mut Tenant) {
    use InviteType::*;
    add_invitations(
        t,
        &[
            (
                HQ,
                emails::INVITED,
                FullMember,
                &[ids::HQ_GENERAL],
                ids::ORG_ADMIN,
                3.0,
            ),
            (
                HQ,
                "sofia.rossi@partner.example",
                Restricted,
                &["C07A10011"],
                ids::ORG_ADMIN,
                1.0,
            ),
            (
                OPS,
                "liam.oconnor@northwind.example",
                FullMember,
                &[ids::OPS_GENERAL],
                ids::OWNER,
                0.1,
            ),
            (
                LABS,
                "yuki.sato@uni-research.example",
                UltraRestricted,
                &["C07A3000F"],
                ids::WORKSPACE_OWNER,
                6.0,
            ),
        ],
    );
}

fn add_standalone_invitations(state: &mut State) {
    use InviteType::*;
    add_invitations(
        &mut state.tenants[BAKERY_TENANT],
        &[
            (
                BAKERY,
                emails::BAKERY_INVITED,
                FullMember,
                &[ids::BAKERY_GENERAL],
                ids::BAKERY_ADMIN,
                3.0,
            ),
            (
                BAKERY,
                emails::BAKERY_INVITED_RECENTLY,
                FullMember,
                &[ids::BAKERY_GENERAL],
                ids::BAKERY_ADMIN,
                10.0 / 1440.0,
            ),
        ],
    );
    add_invitations(
        &mut state.tenants[FJORD_TENANT],
        &[(
            FJORD,
            "guest.analyst@client.example",
            Restricted,
            &["C05C10005"],
            ids::FJORD_ADMIN,
            2.0,
        )],
    );
}

struct Req {
    team: &'static str,
    email: &'static str,
    real_name: &'static str,
    invite_type: InviteType,
    channels: &'static [&'static str],
    requester: &'static str,
    reason: &'static str,
    hours_ago: i64,
}

const PENDING: &[Req] = &[
    Req {
        team: HQ,
        email: "maria.silva@northwind.example",
        real_name: "Maria Silva",
        invite_type: InviteType::FullMember,
        channels: &["C07A10001", "C07A10011"],
        requester: ids::MEMBER,
        reason: "Maria joins the <b>logistics</b> team on Monday & needs #shipping",
        hours_ago: 5,
    },
    Req {
        team: HQ,
        email: "kenji.watanabe@auditors.example",
        real_name: "Kenji Watanabe",
        invite_type: InviteType::Restricted,
        channels: &["C07A1000A", "C07A1000B"],
        requester: ids::WORKSPACE_ADMIN,
        reason:
            "External auditor for the Q1 close — needs #finance and #finance-audit for 3 months",
        hours_ago: 20,
    },
    Req {
        team: OPS,
        email: "ana.lima@freight.example",
        real_name: "Ana Lima",
        invite_type: InviteType::UltraRestricted,
        channels: &["C07A20007"],
        requester: "W0A1C001A",
        reason: "Carrier contact at ACME, single channel only",
        hours_ago: 30,
    },
    Req {
        team: OPS,
        email: "bjorn.sorensen@nordlog.example",
        real_name: "Björn Sørensen",
        invite_type: InviteType::Restricted,
        channels: &["C07A20008", "C07A20009"],
        requester: ids::TOM_AND_JERRY,
        reason: "Seasonal warehouse lead 🚚 for the spring peak",
        hours_ago: 50,
    },
    Req {
        team: HQ,
        email: "ivy.ito@agency.example",
        real_name: "<i>Ivy</i> Ito",
        invite_type: InviteType::Restricted,
        channels: &["C07A10008"],
        requester: ids::BOLD_BOB,
        reason: "Agency designer; says \"it's <urgent>\" & wants in today",
        hours_ago: 2,
    },
    Req {
        team: LABS,
        email: "lena.fischer@uni-research.example",
        real_name: "Lena Fischer",
        invite_type: InviteType::Restricted,
        channels: &["C07A3000F", "C07A30004"],
        requester: ids::EVERYWHERE,
        reason: "Research collaboration on route optimisation (TU Berlin)",
        hours_ago: 72,
    },
    Req {
        team: HQ,
        email: "bob.bold@northwind.example",
        real_name: "Bob Bold",
        invite_type: InviteType::FullMember,
        channels: &["C07A10001"],
        requester: ids::TOM_AND_JERRY,
        reason: "Bob says he can't get in (he already has an account)",
        hours_ago: 9,
    },
    Req {
        team: HQ,
        email: "zhang.wei@northwind.example",
        real_name: "张伟",
        invite_type: InviteType::FullMember,
        channels: &["C07A10001", "C07A10004"],
        requester: ids::MEMBER,
        reason: "New backend engineer, starts next week",
        hours_ago: 1,
    },
];

const APPROVED: &[Req] = &[
    Req {
        team: HQ,
        email: "sofia.rossi@partner.example",
        real_name: "Sofia Rossi",
        invite_type: InviteType::Restricted,
        channels: &["C07A10011"],
        requester: ids::MEMBER,
        reason: "Shipping partner liaison",
        hours_ago: 40,
    },
    Req {
        team: HQ,
        email: "noah.williams@northwind.example",
        real_name: "Noah Williams",
        invite_type: InviteType::FullMember,
        channels: &["C07A10001"],
        requester: ids::WORKSPACE_ADMIN,
        reason: "New hire in sales",
        hours_ago: 80,
    },
    Req {
        team: OPS,
        email: "liam.oconnor@northwind.example",
        real_name: "Liam O'Connor",
        invite_type: InviteType::FullMember,
        channels: &["C07A20001"],
        requester: "W0A1C0007",
        reason: "Dispatcher, night shift",
        hours_ago: 4,
    },
    Req {
        team: LABS,
        email: "yuki.sato@uni-research.example",
        real_name: "佐藤 由紀",
        invite_type: InviteType::UltraRestricted,
        channels: &["C07A3000F"],
        requester: ids::WORKSPACE_OWNER,
        reason: "Visiting researcher",
        hours_ago: 150,
    },
    Req {
        team: HQ,
        email: "aroha.ngata@northwind.example",
        real_name: "Aroha Ngata",
        invite_type: InviteType::FullMember,
        channels: &["C07A10001"],
        requester: ids::OWNER,
        reason: "Transfer from the Auckland office",
        hours_ago: 900,
    },
    Req {
        team: OPS,
        email: "tom.jerry@northwind.example",
        real_name: "Tom & \"Jerry\"",
        invite_type: InviteType::FullMember,
        channels: &["C07A20001"],
        requester: ids::OWNER,
        reason: "Cross-team project <Ops & HQ>",
        hours_ago: 1200,
    },
];

const DENIED: &[Req] = &[
    Req {
        team: HQ,
        email: "recruiter@spammy.example",
        real_name: "Totally Real Recruiter",
        invite_type: InviteType::FullMember,
        channels: &["C07A10001"],
        requester: ids::MEMBER,
        reason: "He asked nicely on LinkedIn",
        hours_ago: 60,
    },
    Req {
        team: OPS,
        email: "old.vendor@freight.example",
        real_name: "Old Vendor",
        invite_type: InviteType::UltraRestricted,
        channels: &["C07A20007"],
        requester: ids::TOM_AND_JERRY,
        reason: "Contract ended last year",
        hours_ago: 200,
    },
    Req {
        team: HQ,
        email: "intern2019@northwind.example",
        real_name: "Former Intern",
        invite_type: InviteType::Restricted,
        channels: &["C07A10002"],
        requester: ids::BOLD_BOB,
        reason: "<script>alert('hi')</script>",
        hours_ago: 400,
    },
    Req {
        team: LABS,
        email: "competitor@rival.example",
        real_name: "Curious Competitor",
        invite_type: InviteType::Restricted,
        channels: &["C07A30003"],
        requester: ids::EVERYWHERE,
        reason: "Wants to see our research",
        hours_ago: 700,
    },
];

fn add_grid_requests(t: &mut Tenant) {
    let file = |t: &mut Tenant, r: &Req| {
        t.add_request(
            NewRequest {
                team: TeamId::new(r.team),
                email: r.email.into(),
                real_name: r.real_name.into(),
                invite_type: r.invite_type,
                channel_ids: r.channels.iter().map(|c| ChannelId::new(*c)).collect(),
                requester: UserId::new(r.requester),
                reason: r.reason.into(),
            },
            FIXTURE_NOW - r.hours_ago * 3600,
        )
        .expect("fixture teams exist")
    };
    for r in PENDING {
        file(t, r);
    }
    // History: decided requests, oldest decision first.
    let mut history: Vec<(&Req, bool)> = APPROVED
        .iter()
        .map(|r| (r, true))
        .chain(DENIED.iter().map(|r| (r, false)))
        .collect();
    history.sort_by_key(|(r, _)| -r.hours_ago);
    for (r, approved) in history {
        let request = file(t, r);
        let n = crate::state::request_number(request.id.as_str()).expect("ours");
        t.requests.remove(&n);
        let decided_by = Actor {
            actor_id: UserId::new(if approved { ids::ORG_ADMIN } else { ids::OWNER }),
            actor_type: "user".into(),
        };
        let d = t.next_decision;
        t.next_decision += 1;
        if approved {
            let invite = Invite {
                id: format!("I{:08X}", 0x0BFF_0000 + d),
                email: request.email.clone(),
                date_created: request.date_created + 1800,
                inviter_id: Some(decided_by.actor_id.clone()),
                invite_preferences: InvitePreferences::new(
                    request.invite_type,
                    request.channel_ids.clone(),
                ),
                is_bouncing: false,
                date_resent: None,
            };
            t.approved.insert(
                d,
                ApprovedRequest {
                    approved_by: decided_by,
                    invite: Some(invite),
                    invite_request: request,
                },
            );
        } else {
            t.denied.insert(
                d,
                DeniedRequest {
                    denied_by: decided_by,
                    invite_request: request,
                },
            );
        }
    }
    debug_assert_eq!(
        t.requests.get(&1).map(|r| r.id.as_str()),
        Some(ids::PENDING_REQUEST)
    );
}

/// Reasons members give when they ask for an invite.
const REASONS: &[&str] = &[
    "Starts on the design team next week.",
    "Contractor for the Q3 audit; needs the finance channels.",
    "",
    "Our new agency contact for the launch.",
    "Joining from the acquisition; same team as me.",
    "Interviewing candidates with us this month.",
];

/// A member of a Grid workspace asks for an invite for someone new, at `now`: what the
/// sandbox does from time to time so that the inbox has something to hear. The request, or
/// `None` when the state has no Grid workspace with members to ask.
pub fn invent_request(state: &mut State, rng: &mut Rng, now: i64) -> Option<InviteRequest> {
    let tenant = state.tenants.iter_mut().find(|t| t.is_grid())?;
    if tenant.teams.is_empty() {
        return None;
    }
    let team = tenant.teams[rng.below(tenant.teams.len() as u64) as usize].clone();
    // Someone on that workspace asks (a full, active member).
    let askers: Vec<UserId> = tenant
        .users
        .values()
        .filter(|u| u.active && !u.is_bot && u.workspaces.contains(&team.id))
        .take(200)
        .map(|u| u.id.clone())
        .collect();
    let requester = (!askers.is_empty()).then(|| rng.pick(&askers).clone())?;
    let (first, first_ascii) = *rng.pick(names::FIRST);
    let (last, last_ascii) = *rng.pick(names::LAST);
    let n = tenant.next_request;
    let (domain, invite_type) = if rng.chance(0.6) {
        (team.email_domain.clone(), InviteType::FullMember)
    } else {
        (
            (*rng.pick(names::GUEST_DOMAINS)).to_owned(),
            if rng.chance(0.5) {
                InviteType::Restricted
            } else {
                InviteType::UltraRestricted
            },
        )
    };
    let channels: Vec<ChannelId> = tenant
        .channels
        .values()
        .filter(|c| c.team_id == team.id && !c.is_private && !c.is_archived)
        .take(1 + rng.below(2) as usize)
        .map(|c| c.id.clone())
        .collect();
    let email = format!("{first_ascii}.{last_ascii}.{n}@{domain}");
    tenant
        .add_request(
            NewRequest {
                team: team.id.clone(),
                email,
                real_name: if rng.chance(0.8) {
                    format!("{first} {last}")
                } else {
                    String::new()
                },
                invite_type,
                channel_ids: channels,
                requester,
                reason: (*rng.pick(REASONS)).to_owned(),
            },
            now,
        )
        .ok()
}
