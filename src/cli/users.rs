//! `junkai users`: staff accounts in the service's database, for the first admin and for
//! scripts (`add`, `list`, `token`). Everything else is on the admin page.

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

fn fail(lang: Lang, ja: &str, en: &str) -> Result<(), FileError> {
    eprintln!("{}", if lang == Lang::Ja { ja } else { en });
    Err(FileError::Refused)
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
            UsersCommand::Token { name, label } => {
                let store = existing(&c).await?;
                let Some((account, _)) = store.user_by_name(name).await? else {
                    let ja = format!("E4005 name: アカウント「{name}」はありません");
                    return fail(lang, &ja, &format!("E4005 name: no account `{name}`"));
                };
                say!("{}", store.add_token(account.id, label, "cli").await?);
                Ok(())
            }
        }
    })
}

/// Creates an account bound to `bound` (a driver's unit, a remote account's person).
async fn add(store: &Store, name: &str, role: Role, bound: Option<&str>, lang: Lang) -> Result<(), FileError> {
    if !valid_account_name(name) {
        let ja = "E4002 name: アカウント名は64文字以内の文字・数字と . _ - にしてください";
        return fail(lang, ja, "E4002 name: use up to 64 letters, digits, . _ -");
    }
    let given = password_from_stdin();
    let password = given.clone().unwrap_or_else(generate_password);
    if let Err(p) = check_policy(name, &password) {
        let [ja, en] = p.text();
        return fail(lang, &format!("E4003 password: {ja}"), &format!("E4003 password: {en}"));
    }
    if store.add_user(name, role, bound, &password, "cli").await?.is_none() {
        let ja = format!("E4004 name: アカウント「{name}」は既にあります");
        return fail(lang, &ja, &format!("E4004 name: the account `{name}` exists"));
    }
    match lang {
        Lang::Ja => say!("アカウント {name}（{}）を作りました", role.label()[0]),
        Lang::En => say!("created {name} ({})", role.as_str()),
    }
    if given.is_none() {
        say!("{}: {password}", if lang == Lang::Ja { "パスワード（一度だけ表示）" } else { "password (shown once)" });
    }
    Ok(())
}
