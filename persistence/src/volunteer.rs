//! Volunteers, their activities, sign-ups and hours (task 6). Rows are private and decode
//! into [`domain::volunteer`] records.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use domain::region::RegionCode;
use domain::volunteer::{
    Activity, ActivitySpec, ActivityType, Certification, HoursEntry, ProfileSpec, Volunteer,
    VolunteerKind,
};

use crate::page::{Page, PageRequest};
use crate::schema::{
    activity_signups as s, volunteer_activities as a, volunteer_hours as h, volunteers as v,
};
use crate::{DbConn, PersistenceError, keyset_in_subtree, on_backend};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = v)]
struct VolunteerRow {
    user_id: String,
    kind: String,
    /// Comma-separated.
    skills: String,
    region_code: Option<String>,
    availability: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<&Volunteer> for VolunteerRow {
    fn from(x: &Volunteer) -> Self {
        let p = &x.profile;
        Self {
            user_id: x.user_id.clone(),
            kind: p.kind.as_str().to_owned(),
            skills: p.skills.join(","),
            region_code: p.region.as_ref().map(ToString::to_string),
            availability: p.availability.clone(),
            created_at: x.created_at,
            updated_at: x.updated_at,
        }
    }
}

impl TryFrom<VolunteerRow> for Volunteer {
    type Error = PersistenceError;

    fn try_from(r: VolunteerRow) -> Result<Self, PersistenceError> {
        Ok(Volunteer {
            profile: ProfileSpec {
                kind: VolunteerKind::parse(&r.kind)?,
                skills: r
                    .skills
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                region: r
                    .region_code
                    .as_deref()
                    .map(RegionCode::parse)
                    .transpose()?,
                availability: r.availability,
            },
            user_id: r.user_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = a)]
struct ActivityRow {
    id: String,
    organization_id: String,
    activity_type: String,
    title: String,
    description: Option<String>,
    /// Space-separated village codes.
    village_codes: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    created_by: String,
    created_at: NaiveDateTime,
}

impl From<&Activity> for ActivityRow {
    fn from(x: &Activity) -> Self {
        let s = &x.spec;
        Self {
            id: x.id.clone(),
            organization_id: x.organization_id.clone(),
            activity_type: s.activity_type.as_str().to_owned(),
            title: s.title.clone(),
            description: x.description.clone(),
            village_codes: crate::region_list::join(&s.villages),
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            created_by: x.created_by.clone(),
            created_at: x.created_at,
        }
    }
}

impl TryFrom<ActivityRow> for Activity {
    type Error = PersistenceError;

    fn try_from(r: ActivityRow) -> Result<Self, PersistenceError> {
        Ok(Activity {
            spec: ActivitySpec {
                activity_type: ActivityType::parse(&r.activity_type)?,
                title: r.title,
                villages: crate::region_list::split(&r.village_codes)?,
                starts_on: r.starts_on,
                ends_on: r.ends_on,
            },
            id: r.id,
            organization_id: r.organization_id,
            description: r.description,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = h)]
struct HoursRow {
    id: String,
    activity_id: String,
    volunteer_id: String,
    served_on: NaiveDate,
    tenths: i32,
    note: Option<String>,
    certified_by: Option<String>,
    certified_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

impl From<&HoursEntry> for HoursRow {
    fn from(x: &HoursEntry) -> Self {
        Self {
            id: x.id.clone(),
            activity_id: x.activity_id.clone(),
            volunteer_id: x.volunteer_id.clone(),
            served_on: x.served_on,
            tenths: x.tenths,
            note: x.note.clone(),
            certified_by: x.certification.as_ref().map(|c| c.by.clone()),
            certified_at: x.certification.as_ref().map(|c| c.at),
            created_at: x.created_at,
        }
    }
}

impl TryFrom<HoursRow> for HoursEntry {
    type Error = PersistenceError;

    fn try_from(r: HoursRow) -> Result<Self, PersistenceError> {
        let certification = match (r.certified_by, r.certified_at) {
            (Some(by), Some(at)) => Some(Certification { by, at }),
            (None, None) => None,
            _ => {
                return Err(PersistenceError::Corrupt(format!(
                    "hours {}: certified_by and certified_at disagree",
                    r.id
                )));
            }
        };
        Ok(HoursEntry {
            id: r.id,
            activity_id: r.activity_id,
            volunteer_id: r.volunteer_id,
            served_on: r.served_on,
            tenths: r.tenths,
            note: r.note,
            certification,
            created_at: r.created_at,
        })
    }
}

fn decode<R, T: TryFrom<R, Error = PersistenceError>>(
    rows: Vec<R>,
) -> Result<Vec<T>, PersistenceError> {
    rows.into_iter().map(T::try_from).collect()
}

/// Creates or replaces a volunteer's profile.
pub fn upsert(conn: &mut DbConn, volunteer: &Volunteer) -> Result<(), PersistenceError> {
    diesel::delete(v::table.find(&volunteer.user_id)).execute(conn)?;
    diesel::insert_into(v::table)
        .values(VolunteerRow::from(volunteer))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, user_id: &str) -> Result<Option<Volunteer>, PersistenceError> {
    v::table
        .find(user_id)
        .select(VolunteerRow::as_select())
        .first(conn)
        .optional()?
        .map(Volunteer::try_from)
        .transpose()
}

#[derive(Debug, Clone)]
pub struct VolunteerQuery {
    /// Volunteers whose region lies in this subtree (`None`: all, those without a region
    /// included).
    pub within: Option<RegionCode>,
    pub kind: Option<VolunteerKind>,
    pub page: PageRequest<String>,
}

/// A page of volunteer profiles in user-id order.
pub fn list(conn: &mut DbConn, q: &VolunteerQuery) -> Result<Page<Volunteer>, PersistenceError> {
    let mut query = keyset_in_subtree!(
        v::table
            .select(VolunteerRow::as_select())
            .order(v::user_id)
            .limit(q.page.fetch())
            .into_boxed(),
        region = v::region_code,
        within = q.within.as_ref(),
        key = v::user_id,
        after = q.page.after.as_ref(),
    );
    if let Some(kind) = q.kind {
        query = query.filter(v::kind.eq(kind.as_str()));
    }
    let items = decode(query.load(conn)?)?;
    Ok(Page::from_fetched(items, q.page.limit, |x: &Volunteer| {
        x.user_id.clone()
    }))
}

pub fn insert_activity(conn: &mut DbConn, activity: &Activity) -> Result<(), PersistenceError> {
    diesel::insert_into(a::table)
        .values(ActivityRow::from(activity))
        .execute(conn)?;
    Ok(())
}

pub fn find_activity(conn: &mut DbConn, id: &str) -> Result<Option<Activity>, PersistenceError> {
    a::table
        .find(id)
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()?
        .map(Activity::try_from)
        .transpose()
}

/// A page of activities in id order.
pub fn list_activities(
    conn: &mut DbConn,
    page: &PageRequest<String>,
) -> Result<Page<Activity>, PersistenceError> {
    let mut q = a::table
        .select(ActivityRow::as_select())
        .order(a::id)
        .limit(page.fetch())
        .into_boxed();
    if let Some(after) = &page.after {
        q = q.filter(a::id.gt(after.clone()));
    }
    let items = decode(q.load(conn)?)?;
    Ok(Page::from_fetched(items, page.limit, |x: &Activity| {
        x.id.clone()
    }))
}

/// Signs a volunteer up (again is a no-op).
pub fn sign_up(
    conn: &mut DbConn,
    activity_id: &str,
    volunteer_id: &str,
    at: NaiveDateTime,
) -> Result<(), PersistenceError> {
    on_backend!(conn, |c| {
        diesel::insert_into(s::table)
            .values((
                s::activity_id.eq(activity_id),
                s::volunteer_id.eq(volunteer_id),
                s::signed_up_at.eq(at),
            ))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    Ok(())
}

pub fn is_signed_up(
    conn: &mut DbConn,
    activity_id: &str,
    volunteer_id: &str,
) -> Result<bool, PersistenceError> {
    Ok(s::table
        .find((activity_id, volunteer_id))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Tenths of hours `volunteer_id` has logged for `day`, in every activity, after taking the
/// volunteer's row lock (PostgreSQL) for the rest of the transaction, so two entries logged
/// at once are summed one after the other. SQLite transactions are serial anyway.
pub fn tenths_logged_on(
    conn: &mut DbConn,
    volunteer_id: &str,
    day: NaiveDate,
) -> Result<i64, PersistenceError> {
    diesel::update(v::table.find(volunteer_id))
        .set(v::updated_at.eq(v::updated_at))
        .execute(conn)?;
    let tenths: Vec<i32> = h::table
        .filter(h::volunteer_id.eq(volunteer_id))
        .filter(h::served_on.eq(day))
        .select(h::tenths)
        .load(conn)?;
    Ok(tenths.into_iter().map(i64::from).sum())
}

pub fn insert_hours(conn: &mut DbConn, entry: &HoursEntry) -> Result<(), PersistenceError> {
    diesel::insert_into(h::table)
        .values(HoursRow::from(entry))
        .execute(conn)?;
    Ok(())
}

pub fn find_hours(conn: &mut DbConn, id: &str) -> Result<Option<HoursEntry>, PersistenceError> {
    h::table
        .find(id)
        .select(HoursRow::as_select())
        .first(conn)
        .optional()?
        .map(HoursEntry::try_from)
        .transpose()
}

/// Stores the certification of an entry that is still uncertified; `false` if it was
/// certified meanwhile.
pub fn certify(conn: &mut DbConn, entry: &HoursEntry) -> Result<bool, PersistenceError> {
    let Some(c) = &entry.certification else {
        return Ok(false);
    };
    Ok(
        diesel::update(h::table.find(&entry.id).filter(h::certified_at.is_null()))
            .set((h::certified_by.eq(&c.by), h::certified_at.eq(c.at)))
            .execute(conn)?
            == 1,
    )
}

/// Every entry of a volunteer, oldest first.
pub fn hours_of(
    conn: &mut DbConn,
    volunteer_id: &str,
) -> Result<Vec<HoursEntry>, PersistenceError> {
    decode(
        h::table
            .filter(h::volunteer_id.eq(volunteer_id))
            .order(h::id)
            .select(HoursRow::as_select())
            .load(conn)?,
    )
}

/// Marks a signed-up volunteer as having attended; `false` if they never signed up.
pub fn mark_attended(
    conn: &mut DbConn,
    activity_id: &str,
    volunteer_id: &str,
    at: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(s::table.find((activity_id, volunteer_id)))
        .set(s::attended_at.eq(at))
        .execute(conn)?
        == 1)
}

/// How many activities the volunteer attended.
pub fn attended_count(conn: &mut DbConn, volunteer_id: &str) -> Result<i64, PersistenceError> {
    Ok(s::table
        .filter(s::volunteer_id.eq(volunteer_id))
        .filter(s::attended_at.is_not_null())
        .count()
        .get_result(conn)?)
}
