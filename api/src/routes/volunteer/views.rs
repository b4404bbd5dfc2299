//! What the API shows of volunteers, activities and hours, and the request bodies, each
//! read into its domain draft in one call.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::volunteer::{
    Activity, ActivitySpec, ActivityType, HoursEntry, ProfileSpec, ServiceRecord as Record,
    Volunteer, VolunteerKind,
};

use crate::error::ApiError;
use crate::http::pagination::Page;
use crate::service::volunteer::HoursDraft;

/// Hours are kept in tenths; the API shows hours.
fn hours(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

/// A volunteer's profile.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "student", "skills": ["数学", "英语"], "region_code": "210900", "availability": "周末"}))]
pub struct ProfileBody {
    /// `student`, `professional`, `retiree`, `other`.
    #[schema(schema_with = crate::openapi::labelled::<VolunteerKind>)]
    pub kind: String,
    #[serde(default)]
    pub skills: Vec<String>,
    pub region_code: Option<String>,
    pub availability: Option<String>,
}

impl ProfileBody {
    pub fn spec(&self) -> Result<ProfileSpec, ApiError> {
        ProfileSpec::parse(
            &self.kind,
            &self.skills,
            self.region_code.as_deref(),
            self.availability.clone(),
        )
        .map_err(ApiError::validation)
    }
}

/// A volunteer as officials of their region see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerView {
    pub user_id: String,
    #[schema(schema_with = crate::openapi::labelled::<VolunteerKind>)]
    pub kind: String,
    pub skills: Vec<String>,
    pub region_code: Option<String>,
    pub availability: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<Volunteer> for VolunteerView {
    fn from(v: Volunteer) -> Self {
        let p = v.profile;
        VolunteerView {
            user_id: v.user_id,
            kind: p.kind.as_str().to_owned(),
            skills: p.skills,
            region_code: p.region.map(|r| r.to_string()),
            availability: p.availability,
            updated_at: v.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerPage {
    pub items: Vec<VolunteerView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Volunteer>> for VolunteerPage {
    fn from(page: Page<Volunteer>) -> Self {
        let page = page.map(VolunteerView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// One activity a volunteer served in.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceEntry {
    pub hours_id: String,
    pub activity_id: String,
    pub served_on: chrono::NaiveDate,
    pub hours: f64,
    pub certified: bool,
}

/// A volunteer's service record: every entry, and the total of certified hours only.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRecord {
    pub volunteer_id: String,
    #[schema(schema_with = crate::openapi::labelled::<VolunteerKind>)]
    pub kind: String,
    /// Activities the organiser saw them attend.
    pub activities_attended: i64,
    /// Certified hours only.
    pub certified_hours: f64,
    /// Logged but not (yet) certified: shown, never counted.
    pub uncertified_hours: f64,
    pub entries: Vec<ServiceEntry>,
}

impl From<Record> for ServiceRecord {
    fn from(r: Record) -> Self {
        ServiceRecord {
            certified_hours: hours(r.certified_tenths()),
            uncertified_hours: hours(r.uncertified_tenths()),
            volunteer_id: r.volunteer.user_id,
            kind: r.volunteer.profile.kind.as_str().to_owned(),
            activities_attended: r.activities_attended,
            entries: r
                .entries
                .into_iter()
                .map(|h| ServiceEntry {
                    certified: h.is_certified(),
                    hours: hours(i64::from(h.tenths)),
                    hours_id: h.id,
                    activity_id: h.activity_id,
                    served_on: h.served_on,
                })
                .collect(),
        }
    }
}

/// The body of `POST /volunteer-activities`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"activity_type": "teaching", "title": "寒假支教", "village_codes": ["210921100202"], "starts_on": "2026-11-01", "ends_on": "2027-02-28"}))]
pub struct ActivityBody {
    /// `research`, `teaching`, `medical`, `culture`, `technology`.
    #[schema(schema_with = crate::openapi::labelled::<ActivityType>)]
    pub activity_type: String,
    pub title: String,
    pub description: Option<String>,
    /// The villages (12-digit codes) it serves.
    pub village_codes: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
}

impl ActivityBody {
    pub fn spec(&self) -> Result<ActivitySpec, ApiError> {
        ActivitySpec::parse(
            &self.activity_type,
            &self.title,
            &self.village_codes,
            &self.starts_on,
            &self.ends_on,
        )
        .map_err(ApiError::validation)
    }
}

/// An activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityView {
    pub id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::openapi::labelled::<ActivityType>)]
    pub activity_type: String,
    pub title: String,
    pub description: Option<String>,
    pub village_codes: Vec<String>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
}

impl From<Activity> for ActivityView {
    fn from(a: Activity) -> Self {
        let s = a.spec;
        ActivityView {
            id: a.id,
            organization_id: a.organization_id,
            activity_type: s.activity_type.as_str().to_owned(),
            title: s.title,
            description: a.description,
            village_codes: s.villages.iter().map(ToString::to_string).collect(),
            starts_on: s.starts_on,
            ends_on: s.ends_on,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub items: Vec<ActivityView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Activity>> for ActivityPage {
    fn from(page: Page<Activity>) -> Self {
        let page = page.map(ActivityView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// The body of `POST /volunteer-activities/{id}/hours`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hours": 3.5, "date": "2026-11-20", "note": "数学课两节"}))]
pub struct HoursBody {
    /// 0.5 to 24.
    pub hours: Option<f64>,
    /// `YYYY-MM-DD`, within the activity, not in the future.
    pub date: Option<String>,
    pub note: Option<String>,
}

impl From<HoursBody> for HoursDraft {
    fn from(b: HoursBody) -> Self {
        HoursDraft {
            hours: b.hours,
            date: b.date,
            note: b.note,
        }
    }
}

/// Hours as logged.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoursView {
    pub id: String,
    pub activity_id: String,
    pub volunteer_id: String,
    pub served_on: chrono::NaiveDate,
    pub hours: f64,
    pub certified: bool,
}

impl From<HoursEntry> for HoursView {
    fn from(h: HoursEntry) -> Self {
        HoursView {
            certified: h.is_certified(),
            hours: hours(i64::from(h.tenths)),
            id: h.id,
            activity_id: h.activity_id,
            volunteer_id: h.volunteer_id,
            served_on: h.served_on,
        }
    }
}

/// The volunteer whose attendance is recorded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    pub volunteer_id: String,
}
