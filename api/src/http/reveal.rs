//! `?reveal=true`: the one query parameter by which a caller asks for personal data
//! unmasked (checked and audited by [`crate::personal::reveal`]).

use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevealParams {
    /// Show ID and phone numbers and the real name unmasked. Allowed to platform admins,
    /// officials whose jurisdiction holds the record, and the person themself; every such
    /// read is written to the audit log.
    pub reveal: Option<bool>,
}
