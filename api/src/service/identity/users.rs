//! Accounts of officials, cadres, evaluators, organisation members, donors and volunteers:
//! created (by platform admins and officials, by the command line, or by people signing
//! themselves up), listed and read within the caller's jurisdiction, masked unless an
//! audited reveal was asked for.

use domain::FieldError;
use domain::identity::{AccountDraft, Action, Jurisdiction, Principal, Role, User};
use domain::region::RegionCode;
use persistence::crypto::DataKeys;
use persistence::identity::users::{self as store, Duplicate, UserQuery};
use persistence::page::{Page, PageRequest};
use persistence::{DbConn, write_transaction};

use crate::auth::password;
use crate::personal::{self, Disclosure};
use crate::service::audit::Actor;
use crate::service::scope::{Reach, narrow};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Creates an account: hashed, encrypted and stored with its audit event in one
/// transaction. `by` is a platform admin or an official (who may create only the officials
/// and cadres below them, in their region), someone signing up, or the platform itself.
/// A username or ID number already taken is a 409 naming the field.
/// Slow on purpose (password hashing): call it on the blocking pool.
pub fn create(
    conn: &mut DbConn,
    keys: &DataKeys,
    by: &Actor<'_>,
    meta: &RequestMeta,
    draft: AccountDraft,
) -> ServiceResult<User> {
    match create_unless_taken(conn, keys, by, meta, draft)? {
        Ok(user) => Ok(user),
        Err(Taken {
            field: Duplicate::Username,
            ..
        }) => Err(
            ServiceError::conflict("用户名已被使用。", "The username is taken.")
                .with_extension("field", "username".into()),
        ),
        Err(Taken {
            field: Duplicate::IdNumber,
            ..
        }) => Err(ServiceError::conflict(
            "该身份证号已注册账号。",
            "An account with this ID number already exists.",
        )
        .with_extension("field", "id_number".into())),
    }
}

/// A unique value of a new account that another account already holds.
#[derive(Debug, Clone)]
pub struct Taken {
    pub field: Duplicate,
    /// The id of the account holding it.
    pub holder: String,
}

/// [`create`], with a taken username or ID number returned as [`Taken`] (nothing written)
/// rather than as an error, for callers that must not tell the two apart. The password is
/// hashed before the check either way, so both take the same time.
pub fn create_unless_taken(
    conn: &mut DbConn,
    keys: &DataKeys,
    by: &Actor<'_>,
    meta: &RequestMeta,
    draft: AccountDraft,
) -> ServiceResult<Result<User, Taken>> {
    let created_by = match by {
        Actor::Principal(p) => {
            p.may(Action::ManageUsers)?;
            let own = p.role().ok_or_else(ServiceError::forbidden)?;
            if !own.may_create(draft.role, p.region.as_ref(), draft.region.as_ref()) {
                return Err(ServiceError::forbidden());
            }
            Some(p.id().to_owned())
        }
        Actor::Anonymous(_) | Actor::System => None,
    };
    check_references(conn, &draft)?;
    let password_hash = password::hash(&draft.password)?;
    let id = uuid::Uuid::now_v7().to_string();
    let user = User::create(draft, id, created_by, chrono::Utc::now().naive_utc());
    let encoded = store::encode(keys, &user, &password_hash);
    write_transaction(conn, |conn| {
        if let Some((field, holder)) = store::duplicate_of(conn, &encoded)? {
            return Ok(Err(Taken { field, holder }));
        }
        store::insert(conn, &encoded)?;
        Audit::new(by.clone(), "user.create")
            .on("user", &user.id)
            .at_maybe(user.region.as_ref())
            .details(serde_json::json!({"role": user.role.as_str()}))
            .record(conn, meta)?;
        store::find(conn, keys, &user.id)?
            .map(Ok)
            .ok_or_else(|| ServiceError::internal("created user vanished"))
    })
}

/// 422 when the account's region or organisation does not exist.
fn check_references(conn: &mut DbConn, draft: &AccountDraft) -> ServiceResult<()> {
    if let Some(region) = &draft.region
        && persistence::region::find(conn, region)?.is_none()
    {
        return Err(FieldError::new(
            "region_code",
            "unknown_region",
            format!("no region {region}"),
            format!("行政区划 {region} 不存在"),
        )
        .into());
    }
    if let Some(org) = &draft.organization_id
        && !persistence::social_org::exists(conn, org)?
    {
        return Err(FieldError::new(
            "organization_id",
            "unknown_organization",
            format!("no organisation {org}"),
            format!("组织 {org} 不存在"),
        )
        .into());
    }
    Ok(())
}

/// The account `id` if the caller may see it (else 404).
pub fn load(conn: &mut DbConn, keys: &DataKeys, who: &Principal, id: &str) -> ServiceResult<User> {
    store::find(conn, keys, id)?
        .filter(|u| u.visible_to(who))
        .ok_or_else(ServiceError::not_found)
}

/// What a list of accounts asks for.
#[derive(Debug, Clone)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub region: Option<RegionCode>,
    pub page: PageRequest<String>,
}

/// The accounts in the caller's jurisdiction (admins: all).
pub fn list(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    filter: UserFilter,
) -> ServiceResult<Page<User>> {
    who.may(Action::ManageUsers)?;
    let reach = match who.jurisdiction() {
        Jurisdiction::Everywhere => narrow(None, filter.region),
        Jurisdiction::Within(own) => narrow(Some(own), filter.region),
        Jurisdiction::Nowhere => Reach::Nowhere,
    };
    let Reach::Within(within) = reach else {
        return Ok(Page::empty());
    };
    let query = UserQuery {
        within,
        role: filter.role,
        page: filter.page,
    };
    Ok(store::list(conn, keys, &query)?)
}

/// One account: the caller's own, or one of their jurisdiction for those who manage users;
/// unmasked when `reveal` is asked and allowed (audited).
pub fn get(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    reveal: bool,
) -> ServiceResult<(User, Disclosure)> {
    if who.id() != id {
        who.may(Action::ManageUsers)?;
    }
    let user = load(conn, keys, who, id)?;
    let disclosure = disclose(conn, who, meta, &user, reveal)?;
    Ok((user, disclosure))
}

/// Masked, or (when `reveal` is asked) full disclosure of an account's personal data if
/// the caller may see it unmasked, audited.
pub fn disclose(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    user: &User,
    reveal: bool,
) -> ServiceResult<Disclosure> {
    if !reveal {
        return Ok(Disclosure::MASKED);
    }
    personal::reveal(
        conn,
        who,
        meta,
        &personal::Subject {
            object_type: "user",
            object_id: &user.id,
            place: user.region.as_ref(),
            own: who.id() == user.id,
        },
    )
}
