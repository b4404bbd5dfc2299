//! Whom a need or pairing is for: a registered household or poor village, resolved to its
//! village, pseudonym and place name.

use domain::FieldError;
use domain::identity::Principal;
use domain::platform::{Beneficiary, Recipient};
use domain::region::{RegionCode, RegionLevel};
use persistence::DbConn;

use crate::service::ServiceResult;

fn unknown(field: &str) -> FieldError {
    let (code, what, zh) = if field == "household_id" {
        ("unknown_household", "household", "贫困户")
    } else {
        ("unknown_village", "poor village", "贫困村")
    };
    FieldError::new(
        field,
        code,
        format!("no {what} with this id in your jurisdiction"),
        format!("您的管辖范围内没有该{zh}"),
    )
}

/// Resolves a household or village a caller names (`principal`: checked against their
/// jurisdiction; `None`: anyone may name any). A record outside the jurisdiction answers
/// exactly like one that does not exist (422 `unknown_*` on the field).
pub fn resolve(
    conn: &mut DbConn,
    principal: Option<&Principal>,
    beneficiary: &Beneficiary,
) -> ServiceResult<Recipient> {
    let visible = |region: &RegionCode| principal.is_none_or(|p| p.sees(region));
    let mut recipient = match beneficiary {
        Beneficiary::Household(id) => {
            let h = persistence::registry::households::find(conn, id)?
                .filter(|h| visible(&h.place))
                .ok_or_else(|| unknown("household_id"))?;
            Recipient {
                pseudonym: crate::personal::pseudonym(&h.id),
                household_id: Some(h.id),
                village_id: None,
                cause: Some(h.main_cause),
                place: h.place,
                place_name: String::new(),
            }
        }
        Beneficiary::Village(id) => {
            let v = persistence::registry::villages::find(conn, id)?
                .filter(|v| visible(&v.place))
                .ok_or_else(|| unknown("village_id"))?;
            Recipient {
                household_id: None,
                village_id: Some(v.id),
                pseudonym: "村集体".to_owned(),
                cause: None,
                place: v.place,
                place_name: String::new(),
            }
        }
    };
    recipient.place_name = place_name(conn, &recipient.place)?;
    Ok(recipient)
}

/// "County Township Village" for a village code.
fn place_name(conn: &mut DbConn, village: &RegionCode) -> ServiceResult<String> {
    let mut chain: Vec<RegionCode> = village
        .ancestors()
        .into_iter()
        .filter(|r| r.level() >= RegionLevel::County)
        .collect();
    chain.reverse();
    chain.push(village.clone());
    let regions = persistence::region::find_many(conn, &chain)?;
    Ok(chain
        .iter()
        .filter_map(|c| {
            regions
                .iter()
                .find(|r| &r.code == c)
                .map(|r| r.name.clone())
        })
        .collect::<Vec<_>>()
        .join(" "))
}
