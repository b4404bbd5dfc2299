//! Identity: accounts, integration clients, tokens and the audit log.

pub mod accounts;
pub mod audit_events;
pub mod clients;
pub mod passwords;
pub mod tokens;
pub mod user_status;
pub mod users;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Access tokens: issued and revoked.
pub fn configure_tokens(cfg: &mut ServiceConfig) {
    cfg.service(tokens::create_token)
        .service(tokens::revoke_token);
}

/// Self sign-up and the caller's own account.
pub fn configure_accounts(cfg: &mut ServiceConfig) {
    cfg.service(accounts::sign_up)
        .service(accounts::me)
        .service(passwords::change_my_password);
}

/// The accounts officials and admins manage.
pub fn configure_users(cfg: &mut ServiceConfig) {
    cfg.service(users::create_user)
        .service(users::list_users)
        .service(users::get_user);
}

/// Accounts taken out of service and back, and password resets (registered first: the
/// status change's `/users/{id}/{action}` would match `/users/{id}/password` too).
pub fn configure_user_status(cfg: &mut ServiceConfig) {
    cfg.service(passwords::reset_user_password)
        .service(user_status::change_user_status);
}

/// The audit log.
pub fn configure_audit_events(cfg: &mut ServiceConfig) {
    cfg.service(audit_events::list_audit_events);
}

/// The integration clients.
pub fn configure_clients(cfg: &mut ServiceConfig) {
    clients::configure(cfg);
}
