//! Edits of a data set's documents before they are checked: an entry replaced, added or
//! removed, requests added or left out. The documents stay JSON here because what they
//! hold is not checked yet: the reader names each problem by its path (`requests[3].kind`).

use serde_json::{Value, json};

use super::{Documents, REQUESTS_FORMAT, VERSION};

/// The array `key` of `doc`, if it is one (a document without it is left for the reader
/// to report).
fn list_in<'d>(doc: &'d mut Value, key: &str) -> Option<&'d mut Vec<Value>> {
    doc.get_mut(key)?.as_array_mut()
}

/// An entry's `id`, if it has a text one.
fn entry_id(entry: &Value) -> Option<&str> {
    entry.get("id").and_then(Value::as_str)
}

impl Documents {
    /// The requests document's list (a requests document is made when there is none).
    fn requests_list(&mut self) -> Option<&mut Vec<Value>> {
        let (_, doc) = self.requests.get_or_insert_with(|| {
            ("requests".into(), json!({ "format": REQUESTS_FORMAT, "version": VERSION, "requests": [] }))
        });
        list_in(doc, "requests")
    }

    /// Replaces (or adds) entry `id` of list `key` (`stops`, `vehicles` or `requests`)
    /// with `body`, or removes it (`None`). Requests go to the requests document.
    pub fn set_entry(&mut self, key: &str, id: &str, body: Option<&Value>) {
        let items = if key == "requests" { self.requests_list() } else { list_in(&mut self.problem.1, key) };
        let Some(items) = items else { return };
        let at = items.iter().position(|i| entry_id(i) == Some(id));
        match (at, body) {
            (Some(i), Some(b)) => items[i] = b.clone(),
            (None, Some(b)) => items.push(b.clone()),
            (Some(i), None) => {
                items.remove(i);
            }
            (None, None) => {}
        }
    }

    /// Appends `bodies` to the requests document; the index of the first of them (their
    /// paths are `requests[first + k]`).
    pub fn push_requests(&mut self, bodies: impl IntoIterator<Item = Value>) -> usize {
        let Some(items) = self.requests_list() else { return 0 };
        let first = items.len();
        items.extend(bodies);
        first
    }

    /// Leaves out the requests (of the problem file and of the requests document) whose
    /// id `left_out` names.
    pub fn leave_out_requests(&mut self, left_out: impl Fn(&str) -> bool) {
        let keep = |items: &mut Vec<Value>| items.retain(|r| entry_id(r).is_none_or(|id| !left_out(id)));
        if let Some(items) = list_in(&mut self.problem.1, "requests") {
            keep(items);
        }
        if let Some(items) = self.requests.as_mut().and_then(|(_, doc)| list_in(doc, "requests")) {
            keep(items);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_replaced_added_removed_and_requests_left_out() {
        let problem = json!({ "stops": [{ "id": "a", "name": "A" }, { "id": "b" }], "requests": [{ "id": "R1" }] });
        let mut docs = Documents::new(("p".into(), problem), None);
        docs.set_entry("stops", "a", Some(&json!({ "id": "a", "name": "A2" })));
        docs.set_entry("stops", "c", Some(&json!({ "id": "c" })));
        docs.set_entry("stops", "b", None);
        assert_eq!(docs.problem.1["stops"], json!([{ "id": "a", "name": "A2" }, { "id": "c" }]));
        docs.set_entry("requests", "R2", Some(&json!({ "id": "R2" })));
        assert_eq!(docs.push_requests([json!({ "id": "R3" })]), 1, "after R2");
        docs.leave_out_requests(|id| id == "R1" || id == "R3");
        assert_eq!(docs.problem.1["requests"], json!([]));
        assert_eq!(docs.requests.as_ref().unwrap().1["requests"], json!([{ "id": "R2" }]));
    }
}
