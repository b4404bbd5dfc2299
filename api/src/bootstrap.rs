//! First start on an empty database: the `admin` account, with the password from
//! `FUPIN_ADMIN_PASSWORD` or a random one printed once and written to
//! `<data dir>/initial-admin-password` (mode 0600).

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::identity::{Role, User};
use persistence::DbConn;
use persistence::crypto::DataKeys;
use persistence::identity::users;

use crate::auth::password;
use crate::settings::Settings;

pub const ADMIN_USERNAME: &str = "admin";
pub const PASSWORD_FILE: &str = "initial-admin-password";

pub fn admin(conn: &mut DbConn, keys: &DataKeys, settings: &Settings) -> Result<(), String> {
    if users::count(conn).map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let (password, generated) = match &settings.admin_password {
        Some(p) => (p.clone(), false),
        None => {
            let mut bytes = [0u8; 18];
            getrandom::fill(&mut bytes)
                .map_err(|e| format!("no randomness for the admin password: {e}"))?;
            (URL_SAFE_NO_PAD.encode(bytes), true)
        }
    };
    let hash = password::hash(&password).map_err(|e| e.to_string())?;
    let admin = User {
        id: uuid::Uuid::now_v7().to_string(),
        username: ADMIN_USERNAME.to_owned(),
        role: Role::PlatformAdmin,
        region: None,
        organization_id: None,
        display_name: Some("Platform administrator".to_owned()),
        work_unit: None,
        real_name: None,
        phone: None,
        id_number: None,
        valid_until: None,
        disabled: false,
        password_change_required: false,
        created_by: None,
        created_at: chrono::Utc::now().naive_utc(),
    };
    let admin = users::encode(keys, &admin, &hash);
    let inserted = persistence::write_transaction(
        conn,
        |conn| -> Result<bool, persistence::PersistenceError> {
            if users::count(conn)? > 0 {
                return Ok(false);
            }
            users::insert(conn, &admin)?;
            Ok(true)
        },
    );
    match inserted {
        Ok(false) | Err(persistence::PersistenceError::Conflict { .. }) => return Ok(()),
        Err(e) => return Err(e.to_string()),
        Ok(true) => {}
    }
    if generated {
        std::fs::create_dir_all(&settings.data_dir)
            .map_err(|e| format!("cannot create {}: {e}", settings.data_dir.display()))?;
        let path = settings.data_dir.join(PASSWORD_FILE);
        write_private(&path, &password)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!(
            "fupin: created user `admin` with password {password}\nfupin: (also written to {}; change it and delete the file)",
            path.display()
        );
    }
    tracing::info!(
        username = ADMIN_USERNAME,
        "created the initial platform administrator"
    );
    Ok(())
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    writeln!(file, "{text}")
}
