//! An entry's id and display names, read from a list of a problem file (`service_kinds`,
//! `remote_staff`) for pages and lists; the entries' other fields are the planner's, read
//! by `entities.rs` and `remote_staff.rs`.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// An entry as pages name it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_en: String,
}

impl Named {
    /// `(id, name in lang)`, for a choice in a form.
    pub fn choice(&self, lang: Lang) -> (String, String) {
        (self.id.clone(), self.name(lang).to_string())
    }

    /// The name in `lang` (the Japanese one when there is no English one).
    pub fn name(&self, lang: Lang) -> &str {
        if lang == Lang::En && !self.name_en.is_empty() { &self.name_en } else { &self.name }
    }
}

/// The entries of list `key` of a problem document; none when it has no such list or
/// the list does not read (the reader reports that when the data set is checked).
pub fn names_in(problem: &serde_json::Value, key: &str) -> Vec<Named> {
    problem.get(key).and_then(|list| Vec::<Named>::deserialize(list).ok()).unwrap_or_default()
}

/// The name of entry `id` in `lang`, or the id itself when it is not among `entries`.
pub fn name_of<'a>(entries: &'a [Named], id: &'a str, lang: Lang) -> &'a str {
    entries.iter().find(|k| k.id == id).map_or(id, |k| k.name(lang))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn entries_are_named_in_the_language_asked_with_japanese_as_the_fallback() {
        let doc = json!({ "service_kinds": [
            { "id": "admin", "name": "手続・相談", "name_en": "Procedures", "equipment": ["admin"] },
            { "id": "class", "name": "スマホ教室", "equipment": ["admin"], "class": { "minutes": 90, "seats": 8 } } ] });
        let kinds = names_in(&doc, "service_kinds");
        assert_eq!(name_of(&kinds, "admin", Lang::En), "Procedures");
        assert_eq!(name_of(&kinds, "class", Lang::En), "スマホ教室");
        assert_eq!(name_of(&kinds, "nothing", Lang::Ja), "nothing");
        assert!(names_in(&json!({ "service_kinds": "x" }), "service_kinds").is_empty());
        assert!(names_in(&doc, "remote_staff").is_empty());
    }
}
