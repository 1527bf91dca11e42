//! `junkai users`: staff accounts in the service's database, for the first admin and for
//! scripts (`add`, `list`, `token`). Everything else is on the admin page.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::{EXIT_BAD_INPUT, EXIT_FAILURE};
use crate::lang::Lang;
use crate::server::auth::password::{check_policy, generate_password};
use crate::server::pages::valid_account_name;
use crate::server::store::{Role, Store};

#[derive(Args)]
pub struct UsersArgs {
    #[command(subcommand)]
    pub command: UsersCommand,
}

#[derive(Subcommand)]
pub enum UsersCommand {
    /// アカウントを作る（パスワードは標準入力から、なければ生成して一度だけ表示） / create an account
    Add {
        name: String,
        /// admin, planner, driver or viewer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A driver's unit (default: the unit assigned for each day).
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, default_value = "junkai.sqlite")]
        db: PathBuf,
    },
    /// アカウントの一覧 / list accounts
    List {
        #[arg(long, default_value = "junkai.sqlite")]
        db: PathBuf,
    },
    /// API トークンを発行する（一度だけ表示） / issue an API token for a machine client
    Token {
        name: String,
        #[arg(long, default_value = "cli")]
        label: String,
        #[arg(long, default_value = "junkai.sqlite")]
        db: PathBuf,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("`{text}`: use admin, planner, driver or viewer"))
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

fn fail(lang: Lang, ja: &str, en: &str, code: u8) -> ExitCode {
    eprintln!("{}", if lang == Lang::Ja { ja } else { en });
    ExitCode::from(code)
}

pub fn run(args: &UsersArgs, lang: Lang) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(lang, &e.to_string(), &e.to_string(), EXIT_FAILURE),
    };
    runtime.block_on(async {
        match run_async(&args.command, lang).await {
            Ok(code) => code,
            Err(e) => fail(lang, &format!("データベースのエラー: {e}"), &format!("database error: {e}"), EXIT_FAILURE),
        }
    })
}

async fn run_async(command: &UsersCommand, lang: Lang) -> Result<ExitCode, sqlx::Error> {
    let clock = super::clock(None).unwrap_or_default();
    match command {
        UsersCommand::Add { name, role, unit, db } => {
            if !valid_account_name(name) {
                let ja = "E4002 name: アカウント名は64文字以内の文字・数字と . _ - にしてください";
                return Ok(fail(lang, ja, "E4002 name: use up to 64 letters, digits, . _ -", EXIT_BAD_INPUT));
            }
            let given = password_from_stdin();
            let password = given.clone().unwrap_or_else(generate_password);
            if let Err(p) = check_policy(name, &password) {
                let [ja, en] = p.text();
                return Ok(fail(
                    lang,
                    &format!("E4003 password: {ja}"),
                    &format!("E4003 password: {en}"),
                    EXIT_BAD_INPUT,
                ));
            }
            let store = Store::open(db, clock).await?;
            let unit = unit.as_deref().filter(|_| *role == Role::Driver);
            if store.add_user(name, *role, unit, &password, "cli").await?.is_none() {
                let ja = format!("E4004 name: アカウント「{name}」は既にあります");
                return Ok(fail(lang, &ja, &format!("E4004 name: the account `{name}` exists"), EXIT_BAD_INPUT));
            }
            say!(
                "{}",
                if lang == Lang::Ja {
                    format!("アカウント {name}（{}）を作りました", role.label()[0])
                } else {
                    format!("created {name} ({})", role.as_str())
                }
            );
            if given.is_none() {
                say!(
                    "{}: {password}",
                    if lang == Lang::Ja { "パスワード（一度だけ表示）" } else { "password (shown once)" }
                );
            }
        }
        UsersCommand::List { db } => {
            let store = Store::open(db, clock).await?;
            for a in store.users().await? {
                let state = if a.disabled { "disabled" } else { "active" };
                say!("{}\t{}\t{}\t{state}", a.name, a.role.as_str(), a.unit_id.as_deref().unwrap_or("-"));
            }
        }
        UsersCommand::Token { name, label, db } => {
            let store = Store::open(db, clock).await?;
            let Some((account, _)) = store.user_by_name(name).await? else {
                let ja = format!("E4005 name: アカウント「{name}」はありません");
                return Ok(fail(lang, &ja, &format!("E4005 name: no account `{name}`"), EXIT_BAD_INPUT));
            };
            say!("{}", store.add_token(account.id, label, "cli").await?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
