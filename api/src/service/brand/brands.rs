//! The brand and programme catalogue, and new brands for the special groups.

use domain::brand::{Brand, BrandDraft};
use domain::identity::Principal;
use persistence::brand as store;
use persistence::{DbConn, write_transaction};

use super::{new_id, now};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Every brand and programme, by code.
pub fn catalogue(conn: &mut DbConn) -> ServiceResult<Vec<Brand>> {
    Ok(store::all(conn)?)
}

/// A new brand for one of the special groups; its code is unique in the catalogue. (Who may
/// add one is `Action::ManageBrands`, asked by the caller.)
pub fn create_brand(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    draft: &BrandDraft,
) -> ServiceResult<Brand> {
    let spec = draft.parse().map_err(ServiceError::validation)?;
    write_transaction(conn, |conn| {
        if store::brand_code_taken(conn, &spec.code)? {
            return Err(ServiceError::conflict(
                "该品牌代码已存在。",
                "A brand with this code exists.",
            )
            .with_extension("field", "code".into()));
        }
        let brand = Brand::create(spec.clone(), new_id(), now());
        store::insert_brand(conn, &brand)?;
        Audit::by(who, "brand.create")
            .on("brand", &brand.id)
            .record(conn, meta)?;
        Ok(brand)
    })
}
