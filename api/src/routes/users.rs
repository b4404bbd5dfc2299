//! `/api/v1/users`: accounts of officials, cadres, evaluators, organisation members, donors
//! and volunteers. Admins manage everyone; officials create and see the officials and cadres
//! below them, in their own region.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{
    Action, IdCardNumber, Jurisdiction, PersonName, PhoneNumber, Principal, Role,
};
use domain::region::RegionCode;
use persistence::crypto::DataKeys;
use persistence::identity::users::{self as store, Duplicate, NewUser, UserQuery, UserRecord};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::auth::password;
use crate::error::ApiError;
use crate::http::reveal::RevealParams;
use crate::http::{etag, pagination};
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::personal::{self, Disclosure, Shown};
use crate::service::scope::{Reach, narrow};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_user)
        .service(list_users)
        .service(get_user);
}

/// Encryption purposes (associated data) of the personal columns of `users`.
pub const AAD_PHONE: &str = "users.phone";
pub const AAD_ID_NUMBER: &str = "users.id_number";
pub const AAD_REAL_NAME: &str = "users.real_name";

/// An account. Personal data is masked unless `?reveal=true` was granted (and audited).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "username": "fuxin.county.li", "role": "county_official",
    "region_code": "210921", "organization_id": null, "display_name": "李主任", "work_unit": "阜新县扶贫办",
    "real_name": "李*", "phone": "138****5678", "id_number": null, "disabled": false, "valid_until": null,
    "created_at": "2026-11-28T08:00:00Z"
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
    /// Accounts of evaluators are time-boxed.
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn decrypt<T>(
    keys: &DataKeys,
    token: Option<&str>,
    aad: &str,
    parse: fn(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, ApiError> {
    token
        .map(|t| {
            let clear = keys
                .decrypt(t, aad)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            parse(&clear).map_err(|e| {
                ApiError::internal(format!("stored {aad} no longer valid: {}", e.code))
            })
        })
        .transpose()
}

impl UserView {
    pub fn build(
        record: &UserRecord,
        keys: &DataKeys,
        disclosure: Disclosure,
    ) -> Result<UserView, ApiError> {
        let utc = |t: chrono::NaiveDateTime| t.and_utc();
        Ok(UserView {
            id: record.id.clone(),
            username: record.username.clone(),
            role: record.role.clone(),
            region_code: record.region_code.clone(),
            organization_id: record.organization_id.clone(),
            display_name: record.display_name.clone(),
            work_unit: record.work_unit.clone(),
            real_name: decrypt(
                keys,
                record.real_name_enc.as_deref(),
                AAD_REAL_NAME,
                PersonName::parse,
            )?
            .map(|v| disclosure.show(v)),
            phone: decrypt(
                keys,
                record.phone_enc.as_deref(),
                AAD_PHONE,
                PhoneNumber::parse,
            )?
            .map(|v| disclosure.show(v)),
            id_number: decrypt(
                keys,
                record.id_number_enc.as_deref(),
                AAD_ID_NUMBER,
                IdCardNumber::parse,
            )?
            .map(|v| disclosure.show(v)),
            disabled: record.disabled,
            valid_until: record.valid_until.map(utc),
            created_at: utc(record.created_at),
        })
    }
}

/// What every way of creating an account shares, validated.
#[derive(Debug)]
pub struct AccountInput {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub region: Option<RegionCode>,
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    pub work_unit: Option<String>,
    pub real_name: Option<PersonName>,
    pub phone: Option<PhoneNumber>,
    pub id_number: Option<IdCardNumber>,
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
}

/// Usernames: 3 to 64 of `a-z 0-9 . _ -`, compared in lower case.
pub fn parse_username(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim().to_lowercase();
    let ok = (3..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(name)
    } else {
        Err(FieldError::new(
            "username",
            "format",
            "a username has 3 to 64 characters: letters, digits, '.', '_' or '-'",
            "用户名为 3 到 64 个字符，只能包含字母、数字、'.'、'_' 或 '-'",
        ))
    }
}

fn optional_text(
    field: &str,
    value: Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())?;
    if v.chars().count() > max || v.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            "format",
            format!("at most {max} characters, no control characters"),
            format!("最多 {max} 个字符，且不能包含控制字符"),
        ));
        return None;
    }
    Some(v)
}

fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// Collects every field error of an account request at once.
#[derive(Debug, Default)]
pub struct RawAccount {
    pub username: String,
    pub password: String,
    pub role: String,
    pub region_code: Option<String>,
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    pub work_unit: Option<String>,
    pub real_name: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
    /// An organisation member signing up before their organisation exists: they register
    /// it next with `POST /organizations` and become its first member.
    pub organization_to_follow: bool,
}

impl RawAccount {
    pub fn validate(self) -> Result<AccountInput, ApiError> {
        let mut errors = Vec::new();
        let username = keep(&mut errors, parse_username(&self.username));
        let password_ok = keep(&mut errors, password::check_policy(&self.password)).is_some();
        let role = keep(&mut errors, Role::parse(&self.role));
        let region = self.region_code.as_deref().and_then(|c| {
            keep(
                &mut errors,
                RegionCode::parse(c).map_err(|e| e.for_field("region_code")),
            )
        });
        let real_name = self.real_name.as_deref().and_then(|v| {
            keep(
                &mut errors,
                PersonName::parse(v).map_err(|e| e.for_field("real_name")),
            )
        });
        let phone = self
            .phone
            .as_deref()
            .and_then(|v| keep(&mut errors, PhoneNumber::parse(v)));
        let id_number = self
            .id_number
            .as_deref()
            .and_then(|v| keep(&mut errors, IdCardNumber::parse(v)));
        let organization_id = self.organization_id.as_deref().and_then(|v| {
            keep(
                &mut errors,
                uuid::Uuid::parse_str(v)
                    .map(|u| u.to_string())
                    .map_err(|_| {
                        FieldError::new(
                            "organization_id",
                            "format",
                            "an organisation id is a UUID",
                            "组织 ID 应为 UUID",
                        )
                    }),
            )
        });
        if let Some(role) = role {
            if role.requires_region() && self.region_code.is_none() {
                errors.push(FieldError::new(
                    "region_code",
                    "required",
                    format!("a {role} is bound to a region"),
                    format!("{} 必须绑定行政区划", role.label_zh()),
                ));
            }
            if let Some(region) = &region
                && let Err(e) = role.check_region_level(region)
            {
                errors.push(e);
            }
            if !role.requires_region() && role != Role::Evaluator && self.region_code.is_some() {
                errors.push(FieldError::new(
                    "region_code",
                    "not_allowed",
                    format!("a {role} is bound to no region"),
                    format!("{} 不绑定行政区划", role.label_zh()),
                ));
            }
            if role.requires_organization()
                && self.organization_id.is_none()
                && !self.organization_to_follow
            {
                errors.push(FieldError::new(
                    "organization_id",
                    "required",
                    "an org_member acts for an organisation",
                    "单位经办人必须属于一个组织",
                ));
            }
            if !role.requires_organization() && self.organization_id.is_some() {
                errors.push(FieldError::new(
                    "organization_id",
                    "not_allowed",
                    format!("a {role} belongs to no organisation"),
                    format!("{} 不属于组织", role.label_zh()),
                ));
            }
            if self.valid_until.is_some() && role != Role::Evaluator {
                errors.push(FieldError::new(
                    "valid_until",
                    "not_allowed",
                    "only evaluator accounts are time-boxed",
                    "只有第三方评估人员账号有有效期",
                ));
            }
        }
        let display_name = optional_text("display_name", self.display_name, 100, &mut errors);
        let work_unit = optional_text("work_unit", self.work_unit, 200, &mut errors);
        match (username, role, errors.is_empty() && password_ok) {
            (Some(username), Some(role), true) => Ok(AccountInput {
                username,
                password: self.password,
                role,
                region,
                organization_id,
                display_name,
                work_unit,
                real_name,
                phone,
                id_number,
                valid_until: self.valid_until,
            }),
            _ => Err(ApiError::validation(errors)),
        }
    }
}

/// Hashes, encrypts and stores a validated account, with its audit event, in one
/// transaction. Runs on the blocking pool (password hashing is slow on purpose).
pub fn insert_account(
    conn: &mut DbConn,
    keys: &DataKeys,
    input: AccountInput,
    actor: &Actor<'_>,
    meta: &RequestMeta,
    created_by: Option<String>,
) -> Result<UserRecord, ApiError> {
    if let Some(region) = &input.region {
        persistence::region::find(conn, region)?.ok_or_else(|| {
            ApiError::validation(vec![FieldError::new(
                "region_code",
                "unknown_region",
                format!("no region {region}"),
                format!("行政区划 {region} 不存在"),
            )])
        })?;
    }
    if let Some(org) = &input.organization_id
        && !persistence::social_org::exists(conn, org)?
    {
        return Err(ApiError::validation(vec![FieldError::new(
            "organization_id",
            "unknown_organization",
            format!("no organisation {org}"),
            format!("组织 {org} 不存在"),
        )]));
    }
    let now = chrono::Utc::now().naive_utc();
    let id = uuid::Uuid::now_v7().to_string();
    let user = NewUser {
        id: id.clone(),
        username: input.username,
        password_hash: password::hash(&input.password)?,
        role: input.role.as_str().to_owned(),
        county_code: input
            .region
            .as_ref()
            .and_then(RegionCode::county)
            .map(String::from),
        region_code: input.region.as_ref().map(ToString::to_string),
        organization_id: input.organization_id,
        display_name: input.display_name,
        work_unit: input.work_unit,
        real_name_enc: input
            .real_name
            .as_ref()
            .map(|v| keys.encrypt(v.expose(), AAD_REAL_NAME)),
        phone_enc: input
            .phone
            .as_ref()
            .map(|v| keys.encrypt(v.expose(), AAD_PHONE)),
        id_number_enc: input
            .id_number
            .as_ref()
            .map(|v| keys.encrypt(v.expose(), AAD_ID_NUMBER)),
        id_number_index: input
            .id_number
            .as_ref()
            .map(|v| keys.blind_index(persistence::crypto::INDEX_ID_NUMBER, v.expose())),
        valid_until: input.valid_until.map(|t| t.naive_utc()),
        created_by,
        created_at: now,
        updated_at: now,
    };
    write_transaction(conn, |conn| {
        match store::duplicate_of(conn, &user)? {
            Some(Duplicate::Username) => {
                return Err(
                    ApiError::conflict("用户名已被使用。", "The username is taken.")
                        .with_extension("field", "username".into()),
                );
            }
            Some(Duplicate::IdNumber) => {
                return Err(ApiError::conflict(
                    "该身份证号已注册账号。",
                    "An account with this ID number already exists.",
                )
                .with_extension("field", "id_number".into()));
            }
            None => {}
        }
        store::insert(conn, &user)?;
        audit::record(
            conn,
            actor,
            meta,
            "user.create",
            Some(("user", &id)),
            input.region.as_ref(),
            true,
            Some(serde_json::json!({"role": user.role})),
        )?;
        store::find(conn, &id)?.ok_or_else(|| ApiError::internal("created user vanished"))
    })
}

/// Whether `principal` may see `user` at all (else: 404).
pub fn visible(principal: &Principal, user: &UserRecord) -> bool {
    if principal.id() == user.id {
        return true;
    }
    match principal.jurisdiction() {
        Jurisdiction::Everywhere => principal.is_admin(),
        Jurisdiction::Within(_) => user
            .region_code
            .as_deref()
            .and_then(|c| RegionCode::parse(c).ok())
            .is_some_and(|c| principal.sees(&c)),
        Jurisdiction::Nowhere => false,
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
    /// End of an evaluator's access.
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
}

/// Create an account.
///
/// Platform admins may create anyone. An official may create officials and village cadres
/// of a lower level inside their own region (a county official: township officials and
/// village cadres of that county); anything else is 403.
#[utoipa::path(
    tag = "users", operation_id = "create_user", security(("bearer" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserView, headers(("Location" = String, description = "URL of the new account"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::ManageUsers)
        .map_err(|_| ApiError::forbidden())?;
    let b = body.into_inner();
    let input = RawAccount {
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
        valid_until: b.valid_until,
        organization_to_follow: false,
    }
    .validate()?;
    let own_role = caller.role().ok_or_else(ApiError::forbidden)?;
    if !own_role.may_create(input.role, caller.region.as_ref(), input.region.as_ref()) {
        return Err(ApiError::forbidden());
    }
    let keys = state.data_keys.clone();
    let principal = caller.principal.clone();
    let record = state
        .db(move |conn| {
            insert_account(
                conn,
                &keys,
                input,
                &Actor::Principal(&principal),
                &meta,
                Some(principal.id().to_owned()),
            )
        })
        .await?;
    let view = UserView::build(&record, &state.data_keys, Disclosure::MASKED)?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", record.id)))
        .json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Only accounts of this role.
    pub role: Option<String>,
    /// Only accounts bound to this region or below it.
    pub region: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// One page of accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub next_cursor: Option<String>,
}

/// List the accounts in the caller's jurisdiction (admins: all).
#[utoipa::path(
    tag = "users", operation_id = "list_users", security(("bearer" = [])), params(UserListParams),
    responses(
        (status = 200, description = "A page of accounts", body = UserPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<UserListParams>,
) -> Result<web::Json<UserPage>, ApiError> {
    caller
        .may(Action::ManageUsers)
        .map_err(|_| ApiError::forbidden())?;
    let params = params.into_inner();
    let page = pagination::PageRequest::<String>::parse(params.limit, params.cursor.as_deref())
        .map_err(|e| ApiError::invalid_parameters(vec![e]))?;
    let role = params
        .role
        .as_deref()
        .map(Role::parse)
        .transpose()
        .map_err(|e| ApiError::invalid_parameters(vec![e]))?;
    let filter = params
        .region
        .as_deref()
        .map(RegionCode::parse)
        .transpose()
        .map_err(|e| ApiError::invalid_parameters(vec![e.for_field("region")]))?;
    let within = match caller.jurisdiction() {
        Jurisdiction::Everywhere => narrow(None, filter),
        Jurisdiction::Within(own) => narrow(Some(own), filter),
        Jurisdiction::Nowhere => Reach::Nowhere,
    };
    let Reach::Within(within) = within else {
        return Ok(web::Json(UserPage {
            items: vec![],
            next_cursor: None,
        }));
    };
    let query = UserQuery {
        within,
        role: role.map(|r| r.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    let items = rows
        .iter()
        .map(|r| UserView::build(r, &state.data_keys, Disclosure::MASKED))
        .collect::<Result<_, _>>()?;
    Ok(web::Json(UserPage { items, next_cursor }))
}

/// One account.
#[utoipa::path(
    tag = "users", operation_id = "get_user", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id"), RevealParams),
    responses(
        (status = 200, description = "The account", body = UserView, headers(("ETag" = String, description = "Entity tag"))),
        (status = 304, description = "Not modified"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    params: web::Query<RevealParams>,
) -> Result<HttpResponse, ApiError> {
    let own = caller.id() == id.as_str();
    if !own {
        caller
            .may(Action::ManageUsers)
            .map_err(|_| ApiError::forbidden())?;
    }
    let principal = caller.principal.clone();
    let reveal = params.reveal.unwrap_or(false);
    let (record, disclosure) = state
        .db(move |conn| {
            let record = store::find(conn, &id)?
                .filter(|u| visible(&principal, u))
                .ok_or_else(ApiError::not_found)?;
            let disclosure = if reveal {
                reveal_user(conn, &principal, &meta, &record)?
            } else {
                Disclosure::MASKED
            };
            Ok((record, disclosure))
        })
        .await?;
    let view = UserView::build(&record, &state.data_keys, disclosure)?;
    Ok(etag::respond(&req, &view))
}

/// Full disclosure of an account's personal data, audited.
pub fn reveal_user(
    conn: &mut DbConn,
    principal: &Principal,
    meta: &RequestMeta,
    record: &UserRecord,
) -> Result<Disclosure, ApiError> {
    let place = record
        .region_code
        .as_deref()
        .and_then(|c| RegionCode::parse(c).ok());
    personal::reveal(
        conn,
        principal,
        meta,
        &personal::Subject {
            object_type: "user",
            object_id: &record.id,
            place: place.as_ref(),
            own: principal.id() == record.id,
        },
    )
    .map_err(ApiError::from)
}
