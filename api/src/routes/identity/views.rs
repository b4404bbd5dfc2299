//! What the API shows of identity: accounts and integration clients, and the request
//! bodies, each read into its domain draft in one call.

use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::DomainError;
use domain::identity::{
    AccountDraft, AccountRequest, Client, ClientDraft, IdCardNumber, PersonName, PhoneNumber, User,
};

use crate::http::pagination::Page;
use crate::personal::{Disclosure, Shown};
use crate::service::identity::clients::CreatedClient as Created;

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "name": "阜新市扶贫数据交换", "scopes": "registry:read stats:read", "region_code": "210900", "rate_limit_per_minute": 6000, "disabled": false, "created_at": "2026-11-28T08:00:00Z"}))]
pub struct ClientView {
    /// Also the `client_id` of the client-credentials grant.
    pub id: String,
    pub name: String,
    /// Space-separated scopes.
    pub scopes: String,
    /// The client sees nothing outside this region.
    pub region_code: Option<String>,
    /// Raised per-minute request limit, if any.
    pub rate_limit_per_minute: Option<i32>,
    pub disabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Client> for ClientView {
    fn from(c: Client) -> Self {
        ClientView {
            id: c.id,
            name: c.name,
            scopes: c.scopes.to_string(),
            region_code: c.region.map(|r| r.to_string()),
            rate_limit_per_minute: c.rate_limit_per_minute,
            disabled: c.disabled,
            created_at: c.created_at.and_utc(),
        }
    }
}

/// A new client with its secret: shown this once, stored only hashed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedClient {
    #[serde(flatten)]
    pub client: ClientView,
    pub client_secret: String,
}

impl From<Created> for CreatedClient {
    fn from(c: Created) -> Self {
        Self {
            client: c.client.into(),
            client_secret: c.secret,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "阜新市扶贫数据交换", "scopes": "registry:read stats:read", "region_code": "210900"}))]
pub struct CreateClient {
    pub name: String,
    /// Space- or comma-separated: `registry:read`, `registry:write`, `stats:read`,
    /// `platform:read`, `platform:write`, `export:read`, `audit:read`.
    pub scopes: String,
    /// Bind the client to a region: it sees nothing outside it.
    pub region_code: Option<String>,
    /// Raise the per-minute request limit for this client.
    pub rate_limit_per_minute: Option<i32>,
}

impl TryFrom<CreateClient> for ClientDraft {
    type Error = DomainError;

    fn try_from(b: CreateClient) -> Result<Self, DomainError> {
        ClientDraft::parse(
            &b.name,
            &b.scopes,
            b.region_code.as_deref(),
            b.rate_limit_per_minute,
        )
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientPage {
    pub items: Vec<ClientView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Client>> for ClientPage {
    fn from(page: Page<Client>) -> Self {
        let page = page.map(ClientView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// An account. Personal data is masked unless `?reveal=true` was granted (and audited).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "username": "fuxin.county.li", "role": "county_official",
    "region_code": "210921", "organization_id": null, "display_name": "李主任", "work_unit": "阜新县扶贫办",
    "real_name": "李*", "phone": "138****5678", "id_number": null, "disabled": false, "password_change_required": false,
    "valid_until": null, "created_at": "2026-11-28T08:00:00Z"
}))]
pub struct UserView {
    pub id: String,
    pub username: String,
    /// `platform_admin`, `province_official`, `city_official`, `county_official`,
    /// `township_official`, `village_cadre`, `evaluator`, `org_member`, `donor`, `volunteer`.
    pub role: String,
    pub region_code: Option<String>,
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    /// The work unit of an official or staff member (counts "lead by example" participation).
    pub work_unit: Option<String>,
    /// Surname and `*` unless revealed.
    #[schema(value_type = Option<String>)]
    pub real_name: Option<Shown<PersonName>>,
    /// `138****5678` unless revealed.
    #[schema(value_type = Option<String>)]
    pub phone: Option<Shown<PhoneNumber>>,
    /// `210102********1234` unless revealed.
    #[schema(value_type = Option<String>)]
    pub id_number: Option<Shown<IdCardNumber>>,
    pub disabled: bool,
    /// The password was reset: the account must change it at its next login.
    pub password_change_required: bool,
    /// Accounts of evaluators are time-boxed.
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl UserView {
    /// The account as `disclosure` lets it be shown.
    pub fn new(u: User, disclosure: Disclosure) -> Self {
        UserView {
            id: u.id,
            username: u.username,
            role: u.role.as_str().to_owned(),
            region_code: u.region.map(|r| r.to_string()),
            organization_id: u.organization_id,
            display_name: u.display_name,
            work_unit: u.work_unit,
            real_name: u.real_name.map(|v| disclosure.show(v)),
            phone: u.phone.map(|v| disclosure.show(v)),
            id_number: u.id_number.map(|v| disclosure.show(v)),
            disabled: u.disabled,
            password_change_required: u.password_change_required,
            valid_until: u.valid_until.map(|t| t.and_utc()),
            created_at: u.created_at.and_utc(),
        }
    }

    /// A new account's answer: 201, its `Location`, the account masked.
    pub fn created(u: User) -> HttpResponse {
        let location = format!("/api/v1/users/{}", u.id);
        HttpResponse::Created()
            .insert_header(("Location", location))
            .json(UserView::new(u, Disclosure::MASKED))
    }
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        UserView::new(u, Disclosure::MASKED)
    }
}

/// One page of accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub next_cursor: Option<String>,
}

impl From<Page<User>> for UserPage {
    fn from(page: Page<User>) -> Self {
        let page = page.map(UserView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// `POST /users` body. Unknown fields are refused (422), so nobody can set `disabled`,
/// `created_by` or an id.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "fuxin.county.li", "password": "Fupin-2026-ln", "role": "county_official", "region_code": "210921", "display_name": "李主任", "work_unit": "阜新县扶贫办", "phone": "13812345678"}))]
pub struct CreateUser {
    pub username: String,
    /// 10 to 128 characters, at least two kinds of letters, digits, other characters.
    pub password: String,
    pub role: String,
    /// Required for officials and village cadres; must have the level of the role.
    pub region_code: Option<String>,
    /// Required for `org_member`.
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    pub work_unit: Option<String>,
    pub real_name: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    /// End of an evaluator's access (evaluators only); must lie ahead (422 `in_the_past`).
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
}

impl CreateUser {
    /// The account asked for, checked at `now` (a time limit must lie ahead).
    pub fn draft(self, now: chrono::NaiveDateTime) -> Result<AccountDraft, DomainError> {
        let b = self;
        AccountRequest {
            username: b.username,
            password: b.password,
            role: b.role,
            region_code: b.region_code,
            organization_id: b.organization_id,
            display_name: b.display_name,
            work_unit: b.work_unit,
            real_name: b.real_name,
            phone: b.phone,
            id_number: b.id_number,
            valid_until: b.valid_until.map(|t| t.naive_utc()),
            organization_to_follow: false,
        }
        .parse(now)
    }
}

/// `POST /accounts` body. Only these fields: a region, an organisation, a role other than
/// donor or volunteer, or any other field is refused with 422.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "wang.donor", "password": "Aixin-2026-ln", "role": "donor", "display_name": "王先生", "phone": "13912345678"}))]
pub struct SignUp {
    pub username: String,
    pub password: String,
    /// `donor` or `volunteer`.
    pub role: String,
    /// Shown publicly instead of the username, if given.
    pub display_name: Option<String>,
    pub real_name: Option<String>,
    pub phone: Option<String>,
    /// For real-name registration (实名认证); one account per ID number.
    pub id_number: Option<String>,
}

/// The answer to every valid sign-up: it says nothing of whether the username or the ID
/// number was free.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignUpReceived {
    /// Always `received`.
    #[schema(example = "received")]
    pub status: &'static str,
}

impl Default for SignUpReceived {
    fn default() -> Self {
        Self { status: "received" }
    }
}

impl SignUp {
    /// The account asked for, checked at `now`.
    pub fn draft(self, now: chrono::NaiveDateTime) -> Result<AccountDraft, DomainError> {
        let b = self;
        AccountRequest {
            username: b.username,
            password: b.password,
            role: b.role,
            display_name: b.display_name,
            real_name: b.real_name,
            phone: b.phone,
            id_number: b.id_number,
            ..AccountRequest::default()
        }
        .sign_up(now)
    }
}
