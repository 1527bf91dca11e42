//! `junkai users`: staff accounts in the service's database, for the first admin and for
//! scripts (`add`, `list`, `token`), and for the admin who is locked out with nobody to
//! let them in (`unlock`, `reset`). Everything else is on the admin page.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::database::{DatabaseArgs, block_on, existing, settings};
use crate::lang::Lang;
use crate::server::auth::password::{check_policy, generate_password};
use crate::server::pages::valid_account_name;
use crate::server::store::backup::FileError;
use crate::server::store::{Role, Store};

#[derive(Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub command: UsersCommand,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Subcommand)]
pub enum UsersCommand {
    /// アカウントを作る（パスワードは標準入力から、なければ生成して一度だけ表示） / create an account
    Add {
        name: String,
        /// admin, planner, driver, viewer or remote.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A driver's unit (default: the unit assigned for each day).
        #[arg(long)]
        unit: Option<String>,
        /// A remote account's person (`remote_staff[].id` of the data set).
        #[arg(long)]
        remote: Option<String>,
    },
    /// アカウントの一覧 / list accounts
    List,
    /// サインインのロックを解除する / clear an account's sign-in lock
    Unlock { name: String },
    /// パスワードを設定し直す（標準入力から、なければ生成して一度だけ表示）。ロック解除・ログアウト・API トークン失効
    /// / set a new password (stdin, else generated and shown once), clear the lock, end its sessions and tokens
    Reset { name: String },
    /// API トークンを発行する（一度だけ表示） / issue an API token for a machine client
    Token {
        name: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("`{text}`: use admin, planner, driver, viewer or remote"))
}

/// A password from standard input when it is piped (first line), else a generated one.
fn password_from_stdin() -> Option<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return None;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).ok()?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    (!line.is_empty()).then_some(line)
}

/// Prints the problem in `lang`; the error that ends the command with exit code 1.
fn refused(lang: Lang, ja: &str, en: &str) -> FileError {
    eprintln!("{}", if lang == Lang::Ja { ja } else { en });
    FileError::Refused
}

fn fail(lang: Lang, ja: &str, en: &str) -> Result<(), FileError> {
    Err(refused(lang, ja, en))
}

pub fn run(args: &UsersArgs, lang: Lang) -> ExitCode {
    let c = match settings(&args.database) {
        Ok(c) => c,
        Err(code) => return code,
    };
    block_on(async move {
        match &args.command {
            UsersCommand::Add { name, role, unit, remote } => {
                let bound = if *role == Role::Remote { remote.as_deref() } else { unit.as_deref() };
                add(&Store::open(&c.db, c.clock.clone()).await?, name, *role, bound, lang).await
            }
            UsersCommand::List => {
                for a in existing(&c).await?.users().await? {
                    let state = if a.disabled { "disabled" } else { "active" };
                    let bound = a.unit_id.as_deref().or(a.remote_id.as_deref()).unwrap_or("-");
                    say!("{}\t{}\t{bound}\t{state}", a.name, a.role.as_str());
                }
                Ok(())
            }
            UsersCommand::Unlock { name } => {
                let store = existing(&c).await?;
                let id = account_id(&store, name, lang).await?;
                store.unlock(id, "cli").await?;
                match lang {
                    Lang::Ja => say!("{name} のロックを解除しました"),
                    Lang::En => say!("unlocked {name}"),
                }
                Ok(())
            }
            UsersCommand::Reset { name } => reset(&existing(&c).await?, name, lang).await,
            UsersCommand::Token { name, label } => {
                let store = existing(&c).await?;
                let id = account_id(&store, name, lang).await?;
                say!("{}", store.add_token(id, label, "cli").await?);
                Ok(())
            }
        }
    })
}

/// The id of account `name`.
async fn account_id(store: &Store, name: &str, lang: Lang) -> Result<i64, FileError> {
    match store.user_by_name(name).await? {
        Some((account, _)) => Ok(account.id),
        None => {
            let ja = format!("E4005 name: アカウント「{name}」はありません（junkai users list で確かめてください）");
            Err(refused(lang, &ja, &format!("E4005 name: no account `{name}` (see `junkai users list`)")))
        }
    }
}

/// A password from standard input, else a generated one, checked against the policy; the
/// flag tells whether it was generated (and must be shown once).
fn new_password(name: &str, lang: Lang) -> Result<(String, bool), FileError> {
    let given = password_from_stdin();
    let generated = given.is_none();
    let password = given.unwrap_or_else(generate_password);
    if let Err(p) = check_policy(name, &password) {
        let [ja, en] = p.text();
        return Err(refused(lang, &format!("E4003 password: {ja}"), &format!("E4003 password: {en}")));
    }
    Ok((password, generated))
}

fn show_generated(password: &str, lang: Lang) {
    say!("{}: {password}", if lang == Lang::Ja { "パスワード（一度だけ表示）" } else { "password (shown once)" });
}

/// Sets a new password for `name`: clears its lock and ends its sessions.
async fn reset(store: &Store, name: &str, lang: Lang) -> Result<(), FileError> {
    let id = account_id(store, name, lang).await?;
    let (password, generated) = new_password(name, lang)?;
    // A reset after a lock-out may follow a compromise: the account's tokens end too.
    store.set_password(id, &password, true, "cli").await?;
    match lang {
        Lang::Ja => say!(
            "{name} のパスワードを設定し直しました（ロック解除・ログイン中の端末はログアウト・API トークンは失効）"
        ),
        Lang::En => say!("reset the password of {name} (lock cleared, sessions ended, API tokens revoked)"),
    }
    if generated {
        show_generated(&password, lang);
    }
    Ok(())
}

/// Creates an account bound to `bound` (a driver's unit, a remote account's person).
async fn add(store: &Store, name: &str, role: Role, bound: Option<&str>, lang: Lang) -> Result<(), FileError> {
    if !valid_account_name(name) {
        let ja = "E4002 name: アカウント名は64文字以内の文字・数字と . _ - にしてください";
        return fail(lang, ja, "E4002 name: use up to 64 letters, digits, . _ -");
    }
    let (password, generated) = new_password(name, lang)?;
    if store.add_user(name, role, bound, &password, "cli").await?.is_none() {
        let ja = format!("E4004 name: アカウント「{name}」は既にあります");
        return fail(lang, &ja, &format!("E4004 name: the account `{name}` exists"));
    }
    match lang {
        Lang::Ja => say!("アカウント {name}（{}）を作りました", role.label()[0]),
        Lang::En => say!("created {name} ({})", role.as_str()),
    }
    if generated {
        show_generated(&password, lang);
    }
    Ok(())
}
