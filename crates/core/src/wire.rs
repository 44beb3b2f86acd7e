//! What crosses the wire: form fields out, an HTTP-shaped answer back, and the serde helpers
//! for Slack's form conventions (booleans as `true`/`false`, ID lists comma-separated).

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Form fields of a call, in order. Never holds the token: the transport adds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// Encodes any request struct whose fields follow Slack's conventions.
    pub fn from_struct<T: Serialize>(value: &T) -> Self {
        let encoded = serde_urlencoded::to_string(value)
            .expect("request structs only hold strings, numbers, booleans and lists");
        Self::parse(&encoded)
    }

    /// Decodes form fields into a request struct (the sim's side of [`Form::from_struct`]).
    pub fn to_struct<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_urlencoded::from_str(&self.encode()).map_err(|e| e.to_string())
    }

    /// `application/x-www-form-urlencoded` text.
    pub fn encode(&self) -> String {
        serde_urlencoded::to_string(&self.0).expect("string pairs always encode")
    }

    /// Parses `application/x-www-form-urlencoded` text; malformed pairs are skipped.
    pub fn parse(text: &str) -> Self {
        Self(serde_urlencoded::from_str(text).unwrap_or_default())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.0.push((key.into(), value.into()));
    }

    /// Removes a field and returns its value (the sim takes `token` out this way).
    pub fn take(&mut self, key: &str) -> Option<String> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(at).1)
    }
}

/// An HTTP answer reduced to what decoding needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(status: u16, body: &impl Serialize) -> Self {
        Self {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: serde_json::to_vec(body).expect("response types always encode"),
        }
    }
}

/// Slack's booleans on the wire: sent as `true`/`false`, read from `true`/`false`/`1`/`0`
/// (form fields) or real JSON booleans.
pub mod flag {
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_str(if *b { "true" } else { "false" }),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Int(i64),
            Text(String),
        }
        match Option::<Raw>::deserialize(d)? {
            None => Ok(None),
            Some(Raw::Bool(b)) => Ok(Some(b)),
            Some(Raw::Int(i)) => Ok(Some(i != 0)),
            Some(Raw::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(Some(true)),
                "false" | "0" | "no" | "" => Ok(Some(false)),
                other => Err(de::Error::custom(format!("not a boolean: {other:?}"))),
            },
        }
    }
}

/// Lists of IDs as one comma-separated field (`C1,C2`); JSON arrays are read too.
pub mod comma {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer, T: AsRef<str>>(
        v: &Option<Vec<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(items) => {
                let joined: Vec<&str> = items.iter().map(|i| i.as_ref()).collect();
                s.serialize_str(&joined.join(","))
            }
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: From<String>>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            List(Vec<String>),
        }
        Ok(Option::<Raw>::deserialize(d)?.map(|raw| {
            let items: Vec<String> = match raw {
                Raw::Text(t) => t
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                Raw::List(l) => l,
            };
            items.into_iter().map(T::from).collect()
        }))
    }
}

/// Reads a JSON `null` as the field's default: Slack documents `null` for fields it has no
/// value for (`"real_name": null` in `admin.inviteRequests.list`), where a missing field would
/// mean the same. Used on every defaulted field of an answer.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Reads a Unix time that Slack may send as a number, a numeric string (`"date_created":
/// "1616127454"` in `admin.inviteRequests.approved.list`'s documented answer), or `null`.
pub(crate) fn lenient_ts<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: From<i64> + Default,
{
    use serde::de::Error;
    use serde::Deserialize;
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => Ok(T::default()),
        serde_json::Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            .map(T::from)
            .ok_or_else(|| D::Error::custom(format!("{n} is not a time"))),
        serde_json::Value::String(s) if s.trim().is_empty() => Ok(T::default()),
        serde_json::Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| T::from(f as i64))
            .ok_or_else(|| D::Error::custom(format!("\"{s}\" is not a time"))),
        other => Err(D::Error::custom(format!("{other} is not a time"))),
    }
}

/// [`lenient_ts`] for an optional time: absent, `null` or `""` is `None`.
pub(crate) fn lenient_opt_ts<'de, D>(deserializer: D) -> Result<Option<i64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Default)]
    struct Ts(Option<i64>);
    impl From<i64> for Ts {
        fn from(v: i64) -> Self {
            Ts(Some(v))
        }
    }
    lenient_ts::<D, Ts>(deserializer).map(|t| t.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ChannelId;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Sample {
        email: String,
        #[serde(default, with = "comma", skip_serializing_if = "Option::is_none")]
        channels: Option<Vec<ChannelId>>,
        #[serde(default, with = "flag", skip_serializing_if = "Option::is_none")]
        resend: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    }

    #[test]
    fn lists_join_with_commas_and_absent_fields_are_left_out() {
        let form = Form::from_struct(&Sample {
            email: "ana@example.com".into(),
            channels: Some(vec!["C1".into(), "C2".into()]),
            resend: Some(true),
            limit: None,
        });
        assert_eq!(form.get("channels"), Some("C1,C2"));
        assert_eq!(form.get("resend"), Some("true"));
        assert_eq!(form.get("limit"), None);
        assert_eq!(form.0.len(), 3);
    }

    #[test]
    fn forms_decode_back_accepting_one_and_zero_for_booleans() {
        let form = Form::parse("email=a%40b.co&channels=C1%2C+C2&resend=1&limit=5");
        let s: Sample = form.to_struct().unwrap();
        assert_eq!(s.channels, Some(vec!["C1".into(), "C2".into()]));
        assert_eq!(s.resend, Some(true));
        assert_eq!(s.limit, Some(5));
    }

    #[test]
    fn take_removes_the_field() {
        let mut form = Form::parse("token=x&email=y");
        assert_eq!(form.take("token").as_deref(), Some("x"));
        assert_eq!(form.get("token"), None);
        assert_eq!(form.encode(), "email=y");
    }
}
