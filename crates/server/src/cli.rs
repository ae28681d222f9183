//! Administration from the command line: operators and account settings, and the first admin
//! created on first run.

use std::io::BufRead;

use anyhow::{bail, Context};
use clap::Subcommand;
use switchboard_protocol::Role;

use crate::settings::{Settings, EDITABLE};
use crate::store::Store;
use crate::{auth, validate};

/// Email of the admin created on first run.
pub const FIRST_ADMIN_EMAIL: &str = "admin@localhost";
/// Environment variable that fixes the first admin's password.
pub const ADMIN_PASSWORD_ENV: &str = "SWITCHBOARD_ADMIN_PASSWORD";

/// `switchboard-server operator …`
#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Adds an operator (prints a generated password unless --password-stdin).
    Add {
        /// Login email.
        #[arg(long)]
        email: String,
        /// Display name shown to visitors.
        #[arg(long)]
        name: String,
        /// Make the operator an administrator.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lists operators: email, name, role, status.
    List,
    /// Sets a new password (prints a generated one unless --password-stdin) and ends sessions.
    Passwd {
        /// Login email.
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Removes an operator.
    Remove {
        /// Login email.
        #[arg(long)]
        email: String,
    },
}

/// `switchboard-server settings …`
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Prints every account setting.
    Show,
    /// Changes a setting: `survey` (JSON array of fields) or `allowed_origins` (comma list).
    Set {
        /// Setting name.
        key: String,
        /// New value.
        value: String,
    },
}

/// Runs an operator subcommand.
pub async fn operator(store: &Store, command: OperatorCommand) -> anyhow::Result<()> {
    match command {
        OperatorCommand::Add {
            email,
            name,
            admin,
            password_stdin,
        } => {
            let email = checked_email(&email)?;
            let name = validate::name(&name).context("the name is empty")?;
            let (password, generated) = password(password_stdin)?;
            let role = if admin { Role::Admin } else { Role::Agent };
            store
                .add_operator(&email, &name, role, &hash(password.clone()).await?)
                .await?;
            println!("added operator {email}");
            if generated {
                println!("password: {password}");
            }
        }
        OperatorCommand::List => {
            for record in store.operators().await? {
                let op = record.operator;
                println!(
                    "{}\t{}\t{:?}\t{:?}",
                    op.email, op.name, op.role, record.status
                );
            }
        }
        OperatorCommand::Passwd {
            email,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            if !store
                .set_password(&email, &hash(password.clone()).await?)
                .await?
            {
                bail!("no operator with email {email}");
            }
            println!("password changed for {email}");
            if generated {
                println!("password: {password}");
            }
        }
        OperatorCommand::Remove { email } => {
            if !store.remove_operator(&email).await? {
                bail!("no operator with email {email}");
            }
            println!("removed operator {email}");
        }
    }
    Ok(())
}

/// Runs a settings subcommand.
pub async fn settings(store: &Store, command: SettingsCommand) -> anyhow::Result<()> {
    let settings = Settings::new(store.clone());
    match command {
        SettingsCommand::Show => {
            for ((key, value), (_, about)) in settings.show().await?.into_iter().zip(EDITABLE) {
                println!("{key} = {value}\n    {about}");
            }
        }
        SettingsCommand::Set { key, value } => {
            settings.set(&key, &value).await?;
            println!("{key} set");
        }
    }
    Ok(())
}

/// On first run (no operators), creates `admin@localhost` with the password from
/// `SWITCHBOARD_ADMIN_PASSWORD` or a generated one, and prints it once.
pub async fn ensure_first_admin(store: &Store) -> anyhow::Result<()> {
    if store.operator_count().await? > 0 {
        return Ok(());
    }
    let password = match std::env::var(ADMIN_PASSWORD_ENV) {
        Ok(password) if !password.is_empty() => password,
        _ => auth::random_token()[..20].to_string(),
    };
    store
        .add_operator(
            FIRST_ADMIN_EMAIL,
            "Admin",
            Role::Admin,
            &hash(password.clone()).await?,
        )
        .await?;
    println!(
        "switchboard-server: created admin operator {FIRST_ADMIN_EMAIL} with password {password}"
    );
    Ok(())
}

fn checked_email(email: &str) -> anyhow::Result<String> {
    let email = email.trim().to_lowercase();
    if !validate::looks_like_email(&email) && !email.ends_with("@localhost") {
        bail!("'{email}' is not an email address");
    }
    Ok(email)
}

/// The password from stdin, or a generated one (and whether it was generated).
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((auth::random_token()[..20].to_string(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.len() < 8 {
        bail!("the password must have at least 8 characters");
    }
    Ok((password, false))
}

async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await?
        .map_err(|e| anyhow::anyhow!("hashing the password failed: {e}"))
}
