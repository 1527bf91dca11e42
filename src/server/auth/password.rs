//! Staff passwords: the policy (length, not a common password, not the account name),
//! argon2id hashing in PHC strings, and random secrets (generated passwords, session ids,
//! API tokens, CSRF tokens) from the operating system's generator.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password accepted, in characters.
pub const MIN_LENGTH: usize = 12;

/// Passwords too common to accept (compared lower-cased), the most used ones of public
/// breach lists plus the project's own words.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890ab",
    "password1234",
    "password123!",
    "passw0rd1234",
    "qwertyuiop12",
    "qwerty123456",
    "111111111111",
    "000000000000",
    "abc123456789",
    "iloveyou1234",
    "administrator",
    "admin1234567",
    "welcome12345",
    "letmein12345",
    "changeme1234",
    "junkai123456",
    "junkaijunkai",
    "midori123456",
    "midoricity12",
    "gunma1234567",
    "p@ssw0rd1234",
    "aaaaaaaaaaaa",
    "abcdefghijkl",
    "qazwsxedcrfv",
    "1q2w3e4r5t6y",
    "zaq12wsxcde3",
];

/// Why a new password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooCommon,
    ContainsName,
}

impl PasswordProblem {
    /// The message in Japanese and English.
    pub fn text(self) -> [&'static str; 2] {
        match self {
            PasswordProblem::TooShort => ["パスワードは12文字以上にしてください", "use at least 12 characters"],
            PasswordProblem::TooCommon => {
                ["よく使われるパスワードは使えません", "that password is too common; choose another"]
            }
            PasswordProblem::ContainsName => {
                ["アカウント名を含むパスワードは使えません", "the password must not contain the account name"]
            }
        }
    }
}

/// Checks a new password against the policy.
pub fn check_policy(name: &str, password: &str) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    let lower = password.to_lowercase();
    let repeated = lower.chars().all(|c| lower.starts_with(c));
    if repeated || COMMON.contains(&lower.as_str()) {
        return Err(PasswordProblem::TooCommon);
    }
    if name.chars().count() >= 3 && lower.contains(&name.to_lowercase()) {
        return Err(PasswordProblem::ContainsName);
    }
    Ok(())
}

/// argon2id with the OWASP-recommended cost (19 MiB, 2 passes, 1 lane).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of a password (with a fresh random salt).
pub fn hash(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes make a salt");
    hasher().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any password").to_string()
}

/// Whether `password` matches the stored PHC string (constant time inside argon2).
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
}

/// At most two argon2 computations at once (19 MiB each), off the async workers, so that a
/// burst of sign-ins can neither exhaust memory nor stall the other requests.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// [`hash`] on the blocking pool.
pub async fn hash_async(password: &str) -> String {
    let password = password.to_string();
    let _permit = HASHING.acquire().await.expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || hash(&password)).await.expect("hashing does not panic")
}

/// [`verify`] on the blocking pool.
pub async fn verify_async(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_string(), phc.to_string());
    let _permit = HASHING.acquire().await.expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || verify(&password, &phc)).await.unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that the answer takes
/// the same time whether or not the name is known.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not-a-real-password-for-timing"))
}

/// `N` bytes from the operating system's random generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random generator works");
    bytes
}

/// A random secret of 256 bits as 64 hex digits (session ids, API tokens, CSRF tokens).
pub fn random_secret() -> String {
    hex(&random_bytes::<32>())
}

/// A generated password: 20 characters from an alphabet without look-alikes (≈ 112 bits).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    // 256 % 54 ≠ 0: rejection sampling keeps every character equally likely.
    let limit = 256 - 256 % ALPHABET.len();
    let mut out = String::new();
    while out.len() < 20 {
        for b in random_bytes::<32>() {
            if (b as usize) < limit && out.len() < 20 {
                out.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_short_common_and_name_passwords() {
        assert_eq!(check_policy("tanaka", "short"), Err(PasswordProblem::TooShort));
        assert_eq!(check_policy("tanaka", "Password1234"), Err(PasswordProblem::TooCommon));
        assert_eq!(check_policy("tanaka", "zzzzzzzzzzzzzz"), Err(PasswordProblem::TooCommon));
        assert_eq!(check_policy("tanaka", "my-Tanaka-pass-2026"), Err(PasswordProblem::ContainsName));
        assert_eq!(check_policy("tanaka", "みどりの丘を越えて走る車"), Ok(()));
        let generated = generate_password();
        assert_eq!(generated.len(), 20);
        assert_eq!(check_policy("tanaka", &generated), Ok(()));
        assert_ne!(generated, generate_password());
    }

    #[test]
    fn hashes_are_argon2id_with_a_salt_and_verify_only_their_password() {
        let h = hash("correct horse battery");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert_ne!(h, hash("correct horse battery"), "a fresh salt each time");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterz", &h));
        assert!(!verify("anything", "not a phc string"));
        assert_eq!(random_secret().len(), 64);
    }
}
