//! A GTFS feed (zip of CSV files) of the published timetable: one agency, one route per
//! unit, one trip per unit and day, stop times at the announced windows, and calendar
//! dates; as GTFS-JP extras, stops' readings as `ja-Hrkt` translations. Home visits are
//! private and never appear.

use std::collections::BTreeMap;
use std::io::Write;

use super::public_timetable::{PublicStop, PublicVisit};

/// Who publishes the feed.
pub struct Publisher<'a> {
    pub name: &'a str,
    pub url: &'a str,
    /// `feed_version`: changes with every publication, so that consumers reload.
    pub version: &'a str,
}

/// One GTFS file: the header and rows as CSV (RFC 4180: CRLF, fields quoted when needed;
/// no byte-order mark, values as they are).
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    out.write_record(header).expect("writing to memory");
    for row in rows {
        out.write_record(row).expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("writing to memory")).expect("UTF-8 in, UTF-8 out")
}

/// `2026-12-08` → `20261208`; `10:30` → `10:30:00`.
fn gtfs_date(d: &str) -> String {
    d.replace('-', "")
}

fn gtfs_time(t: &str) -> String {
    format!("{t}:00")
}

/// The feed's files (name, content), in a stable order.
pub fn feed_files(publisher: &Publisher, stops: &[PublicStop], visits: &[PublicVisit]) -> Vec<(&'static str, String)> {
    let agency = table(
        &["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
        &[vec!["junkai".into(), publisher.name.into(), publisher.url.into(), "Asia/Tokyo".into(), "ja".into()]],
    );
    let used: std::collections::BTreeSet<&str> = visits.iter().map(|v| v.stop_id.as_str()).collect();
    let stop_rows: Vec<Vec<String>> = stops
        .iter()
        .filter(|s| used.contains(s.id.as_str()))
        .map(|s| {
            let desc =
                [s.district.as_str(), s.address.as_str()].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>();
            vec![s.id.clone(), s.name.clone(), desc.join(" "), s.lat.to_string(), s.lon.to_string()]
        })
        .collect();
    let stops_txt = table(&["stop_id", "stop_name", "stop_desc", "stop_lat", "stop_lon"], &stop_rows);
    let translations: Vec<Vec<String>> = stops
        .iter()
        .filter(|s| used.contains(s.id.as_str()) && !s.reading.is_empty())
        .map(|s| vec!["stops".into(), "stop_name".into(), "ja-Hrkt".into(), s.reading.clone(), s.id.clone()])
        .collect();

    let mut units: BTreeMap<&str, &str> = BTreeMap::new();
    let mut trips: BTreeMap<(String, String), Vec<&PublicVisit>> = BTreeMap::new();
    for v in visits {
        units.insert(&v.unit_id, &v.unit_name);
        trips.entry((v.date.clone(), v.unit_id.clone())).or_default().push(v);
    }
    let routes: Vec<Vec<String>> =
        units.iter().map(|(id, name)| vec![(*id).into(), "junkai".into(), (*name).into(), "3".into()]).collect();
    let (mut trip_rows, mut time_rows) = (Vec::new(), Vec::new());
    for ((date, unit), list) in &trips {
        let trip_id = format!("{unit}-{}", gtfs_date(date));
        trip_rows.push(vec![unit.clone(), gtfs_date(date), trip_id.clone()]);
        let mut ordered = list.clone();
        ordered.sort_by(|a, b| a.from.cmp(&b.from));
        for (i, v) in ordered.iter().enumerate() {
            time_rows.push(vec![
                trip_id.clone(),
                gtfs_time(&v.from),
                gtfs_time(&v.to),
                v.stop_id.clone(),
                (i + 1).to_string(),
            ]);
        }
    }
    let mut dates: Vec<String> = visits.iter().map(|v| gtfs_date(&v.date)).collect();
    dates.sort();
    dates.dedup();
    let calendar_dates: Vec<Vec<String>> = dates.iter().map(|d| vec![d.clone(), d.clone(), "1".into()]).collect();
    let feed_info = table(
        &["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date", "feed_version"],
        &[vec![
            publisher.name.into(),
            publisher.url.into(),
            "ja".into(),
            dates.first().cloned().unwrap_or_default(),
            dates.last().cloned().unwrap_or_default(),
            publisher.version.into(),
        ]],
    );
    vec![
        ("agency.txt", agency),
        ("stops.txt", stops_txt),
        ("routes.txt", table(&["route_id", "agency_id", "route_long_name", "route_type"], &routes)),
        ("trips.txt", table(&["route_id", "service_id", "trip_id"], &trip_rows)),
        (
            "stop_times.txt",
            table(&["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], &time_rows),
        ),
        ("calendar_dates.txt", table(&["service_id", "date", "exception_type"], &calendar_dates)),
        ("feed_info.txt", feed_info),
        (
            "translations.txt",
            table(&["table_name", "field_name", "language", "translation", "record_id"], &translations),
        ),
    ]
}

/// The feed as a zip archive.
pub fn feed_zip(publisher: &Publisher, stops: &[PublicStop], visits: &[PublicVisit]) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in feed_files(publisher, stops, visits) {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_quotes_and_signs_read_back_as_written() {
        let rows = vec![vec!["a,b".to_string(), "say \"hi\"".to_string(), "-1".to_string(), "小中".to_string()]];
        let text = table(&["w", "x", "y", "z"], &rows);
        assert_eq!(text, "w,x,y,z\r\n\"a,b\",\"say \"\"hi\"\"\",-1,小中\r\n");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let back: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(String::from).collect();
        assert_eq!(back, rows[0]);
    }
}
